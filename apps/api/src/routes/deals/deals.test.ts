import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { userIdOf } from "../../../test/people";
import { createContactVia } from "../contacts/test-support";
import { createDeal, get, moveDeal, patch, pipelineNamed, stageNamed } from "./test-support";

const isoTime = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe("deals: create, read, update, delete", () => {
  it("creates a deal in the first stage of the first pipeline with the stage's probability", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const deal = await createDeal(owner.accessToken, { name: "  Acme renewal " });
    expect(deal).toEqual({
      id: expect.stringMatching(/^deal_[0-9a-z]{26}$/),
      name: "Acme renewal",
      contactId: null,
      companyId: null,
      pipelineId: sales.id,
      stageId: stageNamed(sales, "New Lead").id,
      stageEnteredAt: deal.createdAt,
      status: "active",
      value: 0,
      currency: "USD",
      expectedCloseDate: null,
      closedAt: null,
      probability: 10,
      nextActionAt: null,
      lostReason: null,
      ownerId,
      tags: [],
      customFields: {},
      createdAt: isoTime,
      updatedAt: deal.createdAt,
    });
    expect(await get(owner.accessToken, `/api/v1/deals/${deal.id}`)).toEqual(deal);
    expect((await get(owner.accessToken, `/api/v1/deals/${deal.id}/stage-history`)).data).toEqual([
      {
        id: expect.stringMatching(/^dsh_/),
        dealId: deal.id,
        pipelineId: sales.id,
        stageId: deal.stageId,
        stageName: "New Lead",
        enteredAt: deal.createdAt,
        leftAt: null,
        durationSeconds: null,
        changedBy: ownerId,
      },
    ]);
  });

  it("stores every field, patches some and deletes the deal", async () => {
    const owner = await signupTenant();
    const contact = await createContactVia(owner.accessToken, { firstName: "Ada" });
    const partnership = await pipelineNamed(owner.accessToken, "Partnership");
    const evaluation = stageNamed(partnership, "Evaluation");
    const created = await createDeal(owner.accessToken, {
      name: "Channel deal",
      pipelineId: partnership.id,
      stageId: evaluation.id,
      contactId: contact.id,
      value: 12500.5,
      currency: "EUR",
      expectedCloseDate: "2026-12-31",
      probability: 55,
      nextActionAt: "2026-11-30T09:00:00+01:00",
      tags: ["Priority", "priority", "EU"],
    });
    expect(created).toMatchObject({
      pipelineId: partnership.id,
      stageId: evaluation.id,
      contactId: contact.id,
      value: 12500.5,
      currency: "EUR",
      expectedCloseDate: "2026-12-31",
      probability: 55,
      nextActionAt: "2026-11-30T08:00:00.000Z",
      tags: ["priority", "eu"],
    });

    const paused = await patch(owner.accessToken, `/api/v1/deals/${created.id}`, {
      status: "paused",
      value: 9000,
      contactId: null,
      tags: [],
    });
    expect(paused).toMatchObject({ status: "paused", value: 9000, contactId: null, tags: [], closedAt: null });
    const won = await patch(owner.accessToken, `/api/v1/deals/${created.id}`, { status: "won" });
    expect(won.status).toBe("won");
    expect(won.closedAt).toBe(won.updatedAt);
    const reopened = await patch(owner.accessToken, `/api/v1/deals/${created.id}`, { status: "active" });
    expect(reopened).toMatchObject({ status: "active", closedAt: null });

    expect((await api("DELETE", `/api/v1/deals/${created.id}`, { token: owner.accessToken })).status).toBe(204);
    await expectProblem(
      await api("GET", `/api/v1/deals/${created.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await api("GET", `/api/v1/deals/${created.id}/stage-history`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
  });

  it("rejects invalid input with the field's path", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const foreignContact = await createContactVia(other.accessToken, { firstName: "Not yours" });
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const backlink = await pipelineNamed(owner.accessToken, "Backlink outreach");
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "x", currency: "usd" }, "body.currency"],
      [{ name: "x", currency: "ZZZ" }, "body.currency"],
      [{ name: "x", expectedCloseDate: "2026-02-30" }, "body.expectedCloseDate"],
      [{ name: "x", probability: 101 }, "body.probability"],
      [{ name: "x", value: -1 }, "body.value"],
      [{ name: "" }, "body.name"],
      [{ name: "x", stage: "Won" }, "body"],
      [{ name: "x", pipelineId: sales.id, stageId: backlink.stages[0]!.id }, "body.stageId"],
      [{ name: "x", pipelineId: "pl_unknown" }, "body.pipelineId"],
      [{ name: "x", contactId: foreignContact.id }, "body.contactId"],
      [{ name: "x", companyId: "co_unknown" }, "body.companyId"],
      [{ name: "x", ownerId: await userIdOf(other) }, "body.ownerId"],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(
        await api("POST", "/api/v1/deals", { token: owner.accessToken, body }),
        422,
        "VALIDATION_FAILED",
      );
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        JSON.stringify(body),
      ).toEqual([path]);
    }
    expect((await get(owner.accessToken, "/api/v1/deals")).data).toEqual([]);

    const won = stageNamed(sales, "Won");
    const deal = await createDeal(owner.accessToken, { name: "Closed", stageId: won.id });
    expect(deal).toMatchObject({ status: "won", probability: 100, closedAt: deal.createdAt });
    const conflicting = await api("PATCH", `/api/v1/deals/${deal.id}`, {
      token: owner.accessToken,
      body: { status: "active" },
    });
    expect((await expectProblem(conflicting, 422)).errors[0].path).toBe("body.status");
    const moveAttempt = await api("PATCH", `/api/v1/deals/${deal.id}`, {
      token: owner.accessToken,
      body: { stageId: sales.stages[0]!.id },
    });
    await expectProblem(moveAttempt, 422, "VALIDATION_FAILED");
  });
});

describe("deals: move-stage and stage history", () => {
  it("closes the open history row and opens a new one on every move; won/lost stages close the deal", async () => {
    const owner = await signupTenant();
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const [newLead, contacted, won, lost, negotiating] = ["New Lead", "Contacted", "Won", "Lost", "Negotiating"].map(
      (n) => stageNamed(sales, n),
    );
    const deal = await createDeal(owner.accessToken, { name: "Moving", value: 1000 });

    const first = await moveDeal(owner.accessToken, deal.id, { stageId: contacted!.id });
    expect(first).toMatchObject({ stageId: contacted!.id, probability: 20, status: "active", closedAt: null });
    expect(first.stageEnteredAt > deal.stageEnteredAt).toBe(true);

    const closedWon = await moveDeal(owner.accessToken, deal.id, { stageId: won!.id });
    expect(closedWon).toMatchObject({ status: "won", probability: 100, closedAt: closedWon.stageEnteredAt });

    const closedLost = await moveDeal(owner.accessToken, deal.id, { stageId: lost!.id, lostReason: "Budget cut" });
    expect(closedLost).toMatchObject({
      status: "lost",
      probability: 0,
      lostReason: "Budget cut",
      closedAt: closedLost.stageEnteredAt,
    });

    const reopened = await moveDeal(owner.accessToken, deal.id, { stageId: negotiating!.id, probability: 75 });
    expect(reopened).toMatchObject({ status: "active", probability: 75, lostReason: null, closedAt: null });

    const unchanged = await moveDeal(owner.accessToken, deal.id, { stageId: negotiating!.id });
    expect(unchanged).toEqual(reopened);

    const history = (await get(owner.accessToken, `/api/v1/deals/${deal.id}/stage-history`)).data;
    const entered = [
      deal.stageEnteredAt,
      first.stageEnteredAt,
      closedWon.stageEnteredAt,
      closedLost.stageEnteredAt,
      reopened.stageEnteredAt,
    ];
    expect(
      history.map((h: { stageName: string; enteredAt: string; leftAt: string | null }) => [
        h.stageName,
        h.enteredAt,
        h.leftAt,
      ]),
    ).toEqual([
      ["New Lead", entered[0], entered[1]],
      ["Contacted", entered[1], entered[2]],
      ["Won", entered[2], entered[3]],
      ["Lost", entered[3], entered[4]],
      ["Negotiating", entered[4], null],
    ]);
    expect(history[0].durationSeconds).toBe(Math.round((Date.parse(entered[1]) - Date.parse(entered[0])) / 1000));
    expect(history[0].stageId).toBe(newLead!.id);

    // Pages of the history are stable and ordered.
    const page1 = await get(owner.accessToken, `/api/v1/deals/${deal.id}/stage-history?limit=2`);
    const page2 = await get(
      owner.accessToken,
      `/api/v1/deals/${deal.id}/stage-history?limit=2&cursor=${page1.nextCursor}`,
    );
    const page3 = await get(
      owner.accessToken,
      `/api/v1/deals/${deal.id}/stage-history?limit=2&cursor=${page2.nextCursor}`,
    );
    expect([...page1.data, ...page2.data, ...page3.data].map((h: { id: string }) => h.id)).toEqual(
      history.map((h: { id: string }) => h.id),
    );
    expect(page3.nextCursor).toBeNull();

    // Moving into another pipeline takes the deal with it.
    const backlink = await pipelineNamed(owner.accessToken, "Backlink outreach");
    const crossed = await moveDeal(owner.accessToken, deal.id, { stageId: backlink.stages[2]!.id });
    expect(crossed).toMatchObject({ pipelineId: backlink.id, stageId: backlink.stages[2]!.id, probability: 30 });

    const unknown = await api("POST", `/api/v1/deals/${deal.id}/move-stage`, {
      token: owner.accessToken,
      body: { stageId: "stg_unknown" },
    });
    expect((await expectProblem(unknown, 422)).errors).toEqual([
      { path: "body.stageId", message: "No stage in this organization has this id" },
    ]);
  });
});

describe("deals: another tenant", () => {
  it("answers 404 on every id route and sees none of the deals", async () => {
    const owner = await signupTenant();
    const intruder = await signupTenant("Intruder");
    const deal = await createDeal(owner.accessToken, { name: "Secret merger", value: 5000 });
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const intruderSales = await pipelineNamed(intruder.accessToken, "Sales");
    const requests: [string, string, unknown?][] = [
      ["GET", `/api/v1/deals/${deal.id}`],
      ["PATCH", `/api/v1/deals/${deal.id}`, { name: "Mine" }],
      ["DELETE", `/api/v1/deals/${deal.id}`],
      ["POST", `/api/v1/deals/${deal.id}/move-stage`, { stageId: intruderSales.stages[1]!.id }],
      ["GET", `/api/v1/deals/${deal.id}/stage-history`],
    ];
    for (const [method, path, body] of requests) {
      await expectProblem(await api(method, path, { token: intruder.accessToken, body }), 404, "NOT_FOUND");
    }
    // The owner's stage id means nothing to the intruder's deals either.
    const own = await createDeal(intruder.accessToken, { name: "Own deal" });
    const foreignStage = await api("POST", `/api/v1/deals/${own.id}/move-stage`, {
      token: intruder.accessToken,
      body: { stageId: sales.stages[1]!.id },
    });
    await expectProblem(foreignStage, 422);
    expect((await get(intruder.accessToken, "/api/v1/deals")).data.map((d: { id: string }) => d.id)).toEqual([own.id]);
    expect((await get(intruder.accessToken, "/api/v1/deals?q=secret")).data).toEqual([]);
    const bulk = await api("POST", "/api/v1/deals/bulk", {
      token: intruder.accessToken,
      body: { action: "delete", ids: [deal.id] },
    });
    expect((await expectProblem(bulk, 422)).errors).toEqual([{ path: "body.ids.0", message: "No deal has this id" }]);
    expect(await get(owner.accessToken, `/api/v1/deals/${deal.id}`)).toEqual(deal);

    const key = await createKey(owner, ["deals:read"]);
    expect((await get(key.key, "/api/v1/deals")).data.map((d: { id: string }) => d.id)).toEqual([deal.id]);
    await expectProblem(
      await api("POST", "/api/v1/deals", { token: key.key, body: { name: "x" } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
  });
});
