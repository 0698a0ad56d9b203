import { describe, expect, it } from "vitest";
import { api, expectProblem, signupTenant } from "../../../test/harness";
import { pipelineNamed } from "../deals/test-support";
import { call, createContact, seedEvents, seedMessages, seedSequence } from "./test-support";

const zero = {
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  replied: 0,
  bounced: 0,
  unsubscribed: 0,
  skipped: 0,
  failed: 0,
};

describe("campaign analytics", () => {
  it("counts per step and variant, totals, rates, funnel, conversions and revenue exactly", async () => {
    const owner = await signupTenant("Analytics");
    const { sequenceId, steps } = await seedSequence(owner, {
      steps: [
        [
          { key: "A", weight: 50, subject: "Quick question", body: "A" },
          { key: "B", weight: 50, subject: "Hello {{contact.firstName|there}}", body: "B" },
        ],
        [{ key: "A", weight: 100, subject: "Following up", body: "Again" }],
      ],
    });
    const [step1, step2] = [steps[0]!.id, steps[1]!.id];
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const won = sales.stages.find((s) => s.isWon)!;
    const lost = sales.stages.find((s) => s.isLost)!;
    const open = sales.stages.find((s) => !s.isWon && !s.isLost)!;
    const [c1, c2, c3, c4] = await Promise.all(
      ["Ann", "Ben", "Cat", "Dov"].map((firstName) => createContact(owner, { firstName, lifecycleStage: "lead" })),
    );
    // Won before the campaign: not a conversion of it.
    await call(
      owner,
      "POST",
      "/api/v1/deals",
      { name: "Old", pipelineId: sales.id, stageId: won.id, value: 500, contactId: c4.id },
      201,
    );

    const campaign = await call(
      owner,
      "POST",
      "/api/v1/campaigns",
      { name: "Leads", sequenceId, audience: { lifecycleStage: "lead" } },
      201,
    );
    const other = await call(owner, "POST", `/api/v1/campaigns/${campaign.id}/clone`, { name: "Other" }, 201);
    expect((await call(owner, "POST", `/api/v1/campaigns/${campaign.id}/start`)).enrolled).toBe(4);

    // After enrolling: Ann wins a 1,000 deal (and an open one), Ben becomes a customer, Cat loses one.
    const deal = await call(
      owner,
      "POST",
      "/api/v1/deals",
      { name: "Ann's", pipelineId: sales.id, stageId: open.id, value: 1000, contactId: c1.id },
      201,
    );
    await call(owner, "POST", `/api/v1/deals/${deal.id}/move-stage`, { stageId: won.id });
    await call(
      owner,
      "POST",
      "/api/v1/deals",
      { name: "Ann's next", pipelineId: sales.id, stageId: open.id, value: 700, contactId: c1.id },
      201,
    );
    await call(owner, "PATCH", `/api/v1/contacts/${c2.id}`, { lifecycleStage: "customer" });
    await call(
      owner,
      "POST",
      "/api/v1/deals",
      { name: "Cat's", pipelineId: sales.id, stageId: lost.id, value: 300, contactId: c3.id },
      201,
    );

    const base = { campaignId: campaign.id, sequenceId };
    await seedMessages(owner.tenantId, [
      {
        ...base,
        contactId: c1.id,
        stepId: step1,
        variantKey: "A",
        openedAt: 2,
        openCount: 3,
        clickedAt: 3,
        repliedAt: 4,
      },
      { ...base, contactId: c2.id, stepId: step1, variantKey: "B", openedAt: 2 },
      { ...base, contactId: c3.id, stepId: step1, variantKey: "A", bouncedAt: 2 },
      { ...base, contactId: c4.id, stepId: step1, variantKey: "B", status: "skipped" },
      { ...base, contactId: c2.id, stepId: step2, variantKey: "A", openedAt: 5, clickedAt: 6, unsubscribedAt: 7 },
      // A test send: never counted.
      { ...base, contactId: c1.id, stepId: step1, variantKey: "A", enrollment: false, openedAt: 9 },
    ]);

    const analytics = await call(owner, "GET", `/api/v1/campaigns/${campaign.id}/analytics`);
    expect(analytics).toEqual({
      campaignId: campaign.id,
      totals: {
        enrolled: 4,
        sent: 4,
        delivered: 3,
        opened: 3,
        clicked: 2,
        replied: 1,
        bounced: 1,
        unsubscribed: 1,
        skipped: 1,
        failed: 0,
        converted: 2,
        revenue: 1000,
      },
      rates: {
        deliveryRate: 0.75,
        openRate: 1,
        clickRate: 0.6667,
        replyRate: 0.3333,
        bounceRate: 0.25,
        unsubscribeRate: 0.3333,
        conversionRate: 0.5,
      },
      steps: [
        {
          stepId: step1,
          position: 1,
          channel: "email",
          removed: false,
          variants: [
            {
              key: "A",
              weight: 50,
              subject: "Quick question",
              ...zero,
              sent: 2,
              delivered: 1,
              opened: 1,
              clicked: 1,
              replied: 1,
              bounced: 1,
              converted: 1,
              revenue: 1000,
            },
            {
              key: "B",
              weight: 50,
              subject: "Hello {{contact.firstName|there}}",
              ...zero,
              sent: 1,
              delivered: 1,
              opened: 1,
              skipped: 1,
              converted: 1,
              revenue: 0,
            },
          ],
        },
        {
          stepId: step2,
          position: 2,
          channel: "email",
          removed: false,
          variants: [
            {
              key: "A",
              weight: 100,
              subject: "Following up",
              ...zero,
              sent: 1,
              delivered: 1,
              opened: 1,
              clicked: 1,
              unsubscribed: 1,
              converted: 1,
              revenue: 0,
            },
          ],
        },
      ],
      funnel: [
        { stage: "enrolled", contacts: 4 },
        { stage: "sent", contacts: 3 },
        { stage: "opened", contacts: 2 },
        { stage: "clicked", contacts: 2 },
        { stage: "replied", contacts: 1 },
        { stage: "converted", contacts: 2 },
      ],
    });

    const compared = await call(owner, "GET", `/api/v1/campaigns/compare?ids=${other.id},${campaign.id}`);
    expect(compared.data.map((c: { id: string; name: string; status: string }) => [c.id, c.name, c.status])).toEqual([
      [other.id, "Other", "draft"],
      [campaign.id, "Leads", "running"],
    ]);
    expect(compared.data[1].totals).toEqual(analytics.totals);
    expect(compared.data[1].rates).toEqual(analytics.rates);
    expect(compared.data[0].totals).toEqual({ enrolled: 0, ...zero, converted: 0, revenue: 0 });
    expect(compared.data[0].rates.openRate).toBe(0);
    const one = await expectProblem(
      await api("GET", `/api/v1/campaigns/compare?ids=${campaign.id}`, { token: owner.accessToken }),
      422,
      "VALIDATION_FAILED",
    );
    expect(one.errors).toEqual([{ path: "query.ids", message: "Name 2 to 10 campaigns" }]);
    await expectProblem(
      await api("GET", `/api/v1/campaigns/compare?ids=${campaign.id},cmp_01jc9x7d1q8m3v5n2k4p6r8t0w`, {
        token: owner.accessToken,
      }),
      404,
      "NOT_FOUND",
    );
  });

  it("gives events per UTC day over a range, zeros included", async () => {
    const owner = await signupTenant("Time series");
    const { sequenceId } = await seedSequence(owner);
    const campaign = await call(owner, "POST", "/api/v1/campaigns", { name: "Days", sequenceId, audience: {} }, 201);
    const other = await call(owner, "POST", "/api/v1/campaigns", { name: "Other", sequenceId, audience: {} }, 201);
    await seedEvents(owner.tenantId, campaign.id, [
      { type: "sent", at: "2026-11-02T08:00:00Z", count: 3 },
      { type: "opened", at: "2026-11-02T23:59:59.999Z", count: 4 },
      { type: "sent", at: "2026-11-04T00:00:00Z" },
      { type: "clicked", at: "2026-11-04T12:00:00Z", count: 2 },
      { type: "replied", at: "2026-11-04T13:00:00Z" },
      { type: "skipped", at: "2026-11-04T13:00:00Z" },
      { type: "sent", at: "2026-10-31T23:59:59.999Z" },
      { type: "sent", at: "2026-11-05T00:00:00Z" },
    ]);
    await seedEvents(owner.tenantId, other.id, [{ type: "sent", at: "2026-11-02T08:00:00Z", count: 5 }]);
    const day = (date: string, counts: Record<string, number> = {}) => ({
      date,
      sent: 0,
      delivered: 0,
      opened: 0,
      clicked: 0,
      replied: 0,
      bounced: 0,
      unsubscribed: 0,
      ...counts,
    });
    expect(
      await call(owner, "GET", `/api/v1/campaigns/${campaign.id}/timeseries?from=2026-11-01&to=2026-11-04`),
    ).toEqual({
      campaignId: campaign.id,
      from: "2026-11-01",
      to: "2026-11-04",
      days: [
        day("2026-11-01"),
        day("2026-11-02", { sent: 3, opened: 4 }),
        day("2026-11-03"),
        day("2026-11-04", { sent: 1, clicked: 2, replied: 1 }),
      ],
    });
    const path = `/api/v1/campaigns/${campaign.id}/timeseries`;
    const errors = async (query: string) =>
      (
        await expectProblem(
          await api("GET", `${path}?${query}`, { token: owner.accessToken }),
          422,
          "VALIDATION_FAILED",
        )
      ).errors;
    expect(await errors("from=2026-11-05&to=2026-11-01")).toEqual([
      { path: "query.to", message: "Must not be after `to`" },
    ]);
    expect(await errors("from=2025-01-01&to=2026-11-01")).toEqual([
      { path: "query.from", message: "At most 366 days" },
    ]);
    expect((await errors("from=yesterday"))[0].path).toBe("query.from");
  });
});
