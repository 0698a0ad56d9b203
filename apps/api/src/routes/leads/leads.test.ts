import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import { get, patch, post } from "../deals/test-support";

const isoTime = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const createLead = (token: string, body: Record<string, unknown>) => post(token, "/api/v1/leads", body);
const names = (page: { data: { firstName: string }[] }) => page.data.map((l) => l.firstName);

describe("leads: create, read, update, delete", () => {
  it("creates a lead with normalised email and domain, reads, patches and deletes it", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const lead = await createLead(owner.accessToken, {
      firstName: " Grace ",
      lastName: "Hopper",
      email: "Grace@Cobol.Example",
      phone: "+1 555 010 2345",
      companyName: "Cobol Inc",
      companyDomain: "https://www.Cobol.example/about",
      title: "Rear Admiral",
      source: "webinar",
      estimatedValue: 25000,
      tags: ["Navy", "navy"],
    });
    expect(lead).toEqual({
      id: expect.stringMatching(/^lead_[0-9a-z]{26}$/),
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@cobol.example",
      phone: "+1 555 010 2345",
      companyName: "Cobol Inc",
      companyDomain: "cobol.example",
      title: "Rear Admiral",
      stage: "lead",
      stageChangedAt: lead.createdAt,
      lostReason: null,
      source: "webinar",
      estimatedValue: 25000,
      ownerId,
      tags: ["navy"],
      customFields: {},
      convertedAt: null,
      convertedContactId: null,
      convertedCompanyId: null,
      convertedDealId: null,
      createdAt: isoTime,
      updatedAt: lead.createdAt,
    });
    expect(await get(owner.accessToken, `/api/v1/leads/${lead.id}`)).toEqual(lead);
    expect(
      await patch(owner.accessToken, `/api/v1/leads/${lead.id}`, { title: null, estimatedValue: 30000 }),
    ).toMatchObject({ title: null, estimatedValue: 30000 });
    expect((await get(owner.accessToken, "/api/v1/leads?q=cobol")).data.map((l: { id: string }) => l.id)).toEqual([
      lead.id,
    ]);
    expect((await get(owner.accessToken, "/api/v1/leads?q=15550102345")).data.map((l: { id: string }) => l.id)).toEqual(
      [lead.id],
    );

    for (const [body, path] of [
      [{ title: "Only a title" }, "body.firstName"],
      [{ firstName: "X", email: "not-an-email" }, "body.email"],
      [{ firstName: "X", companyDomain: "not a domain" }, "body.companyDomain"],
      [{ firstName: "X", stage: "won" }, "body.stage"],
      [{ firstName: "X", stage: "lost" }, "body.lostReason"],
      [{ firstName: "X", estimatedValue: -5 }, "body.estimatedValue"],
      [{ firstName: "X", ownerId: "us_nobody" }, "body.ownerId"],
    ] as const) {
      const problem = await expectProblem(
        await api("POST", "/api/v1/leads", { token: owner.accessToken, body }),
        422,
        "VALIDATION_FAILED",
      );
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        JSON.stringify(body),
      ).toEqual([path]);
    }

    expect((await api("DELETE", `/api/v1/leads/${lead.id}`, { token: owner.accessToken })).status).toBe(204);
    await expectProblem(await api("GET", `/api/v1/leads/${lead.id}`, { token: owner.accessToken }), 404, "NOT_FOUND");
    expect((await get(owner.accessToken, "/api/v1/leads?q=cobol")).data).toEqual([]);
  });
});

describe("leads: stages and their history", () => {
  it("records every stage change with its reason and time; lost needs a reason", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const lead = await createLead(owner.accessToken, { firstName: "Alan", stageReason: "Inbound form" });
    const url = `/api/v1/leads/${lead.id}`;

    const mql = await patch(owner.accessToken, url, { stage: "mql", stageReason: "Downloaded the whitepaper" });
    expect(mql).toMatchObject({ stage: "mql", lostReason: null });
    expect(mql.stageChangedAt).toBe(mql.updatedAt);
    const sql = await patch(owner.accessToken, url, { stage: "sql" });

    const noReason = await api("PATCH", url, { token: owner.accessToken, body: { stage: "lost" } });
    expect((await expectProblem(noReason, 422)).errors).toEqual([
      { path: "body.lostReason", message: "Required when the stage becomes lost" },
    ]);
    const reasonWithoutLoss = await api("PATCH", url, { token: owner.accessToken, body: { lostReason: "Nope" } });
    expect((await expectProblem(reasonWithoutLoss, 422)).errors).toEqual([
      { path: "body.lostReason", message: "Only a lost lead has a lost reason" },
    ]);

    const lost = await patch(owner.accessToken, url, { stage: "lost", lostReason: "Chose a competitor" });
    expect(lost).toMatchObject({ stage: "lost", lostReason: "Chose a competitor" });
    const revived = await patch(owner.accessToken, url, { stage: "opportunity", stageReason: "Competitor failed" });
    expect(revived).toMatchObject({ stage: "opportunity", lostReason: null });
    // A PATCH that leaves the stage alone adds no history row.
    await patch(owner.accessToken, url, { lastName: "Turing" });

    const history = await get(owner.accessToken, `${url}/stage-history`);
    expect(history.nextCursor).toBeNull();
    expect(
      history.data.map((h: Record<string, unknown>) => [h.fromStage, h.toStage, h.reason, h.changedAt, h.changedBy]),
    ).toEqual([
      [null, "lead", "Inbound form", lead.createdAt, ownerId],
      ["lead", "mql", "Downloaded the whitepaper", mql.stageChangedAt, ownerId],
      ["mql", "sql", null, sql.stageChangedAt, ownerId],
      ["sql", "lost", "Chose a competitor", lost.stageChangedAt, ownerId],
      ["lost", "opportunity", "Competitor failed", revived.stageChangedAt, ownerId],
    ]);
    expect(
      (await get(owner.accessToken, "/api/v1/leads?stage=opportunity")).data.map((l: { id: string }) => l.id),
    ).toEqual([lead.id]);
    expect((await get(owner.accessToken, "/api/v1/leads?stage=lead")).data).toEqual([]);
  });
});

describe("leads: views, assignment and bulk", () => {
  it("lists unassigned, high-value and my leads; assigns one or many", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const key = await createKey(owner, ["leads:read", "leads:write"]);
    const fromForm = await createLead(key.key, { firstName: "Form", estimatedValue: 500, source: "form" });
    const whale = await createLead(owner.accessToken, {
      firstName: "Whale",
      estimatedValue: 50000,
      source: "referral",
    });
    const mid = await createLead(owner.accessToken, { firstName: "Mid", estimatedValue: 10000, source: "referral" });
    const members = await createLead(member.accessToken, { firstName: "Members", estimatedValue: 8000 });
    expect(fromForm.ownerId).toBeNull();

    const list = (token: string, query: string) => get(token, `/api/v1/leads${query}`);
    expect(names(await list(owner.accessToken, "?view=unassigned"))).toEqual(["Form"]);
    expect(names(await list(owner.accessToken, "?view=high_value"))).toEqual(["Mid", "Whale"]);
    expect(names(await list(owner.accessToken, "?view=high_value&threshold=20000"))).toEqual(["Whale"]);
    expect(names(await list(owner.accessToken, "?view=high_value&threshold=5000&sort=-estimatedValue"))).toEqual([
      "Whale",
      "Mid",
      "Members",
    ]);
    expect(names(await list(member.accessToken, "?view=mine"))).toEqual(["Members"]);
    expect(names(await list(owner.accessToken, "?source=referral&sort=estimatedValue"))).toEqual(["Mid", "Whale"]);
    expect(names(await list(owner.accessToken, "?sort=estimatedValue&valueMin=600&valueMax=10000"))).toEqual([
      "Members",
      "Mid",
    ]);
    const keyMine = await api("GET", "/api/v1/leads?view=mine", { token: key.key });
    expect((await expectProblem(keyMine, 422)).errors[0].path).toBe("query.view");

    const assigned = await post(
      owner.accessToken,
      `/api/v1/leads/${fromForm.id}/assign`,
      { ownerId: member.userId },
      200,
    );
    expect(assigned.ownerId).toBe(member.userId);
    expect(names(await list(member.accessToken, "?view=mine&sort=createdAt"))).toEqual(["Form", "Members"]);
    expect(names(await list(owner.accessToken, "?view=unassigned"))).toEqual([]);
    const stranger = await api("POST", `/api/v1/leads/${fromForm.id}/assign`, {
      token: owner.accessToken,
      body: { ownerId: await userIdOf(await signupTenant("X")) },
    });
    expect((await expectProblem(stranger, 422)).errors[0].path).toBe("body.ownerId");
    expect(
      (await post(owner.accessToken, `/api/v1/leads/${fromForm.id}/assign`, { ownerId: null }, 200)).ownerId,
    ).toBeNull();

    // Bulk assignment is all or nothing.
    const bulk = (body: unknown) => api("POST", "/api/v1/leads/bulk", { token: owner.accessToken, body });
    const partial = await bulk({ action: "assign", ids: [whale.id, "lead_unknown"], ownerId: member.userId });
    expect((await expectProblem(partial, 422)).errors).toEqual([
      { path: "body.ids.1", message: "No lead has this id" },
    ]);
    expect((await get(owner.accessToken, `/api/v1/leads/${whale.id}`)).ownerId).not.toBe(member.userId);
    const done = await bulk({ action: "assign", ids: [whale.id, mid.id, fromForm.id], ownerId: member.userId });
    expect(await json(done)).toEqual({
      results: [whale.id, mid.id, fromForm.id].map((id) => ({ id, status: "updated" })),
    });
    expect(names(await list(owner.accessToken, `?ownerId=${member.userId}&sort=createdAt`))).toEqual([
      "Form",
      "Whale",
      "Mid",
      "Members",
    ]);

    // Bulk stage changes land in each lead's history; lost needs a reason.
    const noReason = await bulk({ action: "update", ids: [whale.id], changes: { stage: "lost" } });
    expect((await expectProblem(noReason, 422)).errors).toEqual([
      { path: "body.changes.lostReason", message: "Required when the stage becomes lost" },
    ]);
    expect(
      (
        await bulk({
          action: "update",
          ids: [whale.id, mid.id],
          changes: { stage: "mql", stageReason: "Campaign reply" },
        })
      ).status,
    ).toBe(200);
    const history = await get(owner.accessToken, `/api/v1/leads/${mid.id}/stage-history`);
    expect(
      history.data.map((h: { fromStage: string; toStage: string; reason: string }) => [
        h.fromStage,
        h.toStage,
        h.reason,
      ]),
    ).toEqual([
      [null, "lead", null],
      ["lead", "mql", "Campaign reply"],
    ]);
    expect((await bulk({ action: "delete", ids: [members.id] })).status).toBe(200);
    await expectProblem(
      await api("GET", `/api/v1/leads/${members.id}/stage-history`, { token: owner.accessToken }),
      404,
    );
  });
});

describe("leads: another tenant", () => {
  it("answers 404 on every id route and lists nothing of the other tenant", async () => {
    const owner = await signupTenant();
    const intruder = await signupTenant("Intruder");
    const lead = await createLead(owner.accessToken, {
      firstName: "Private",
      email: "private@example.com",
      estimatedValue: 99999,
    });
    const requests: [string, string, unknown?][] = [
      ["GET", `/api/v1/leads/${lead.id}`],
      ["PATCH", `/api/v1/leads/${lead.id}`, { firstName: "Mine" }],
      ["DELETE", `/api/v1/leads/${lead.id}`],
      ["POST", `/api/v1/leads/${lead.id}/assign`, { ownerId: null }],
      ["GET", `/api/v1/leads/${lead.id}/stage-history`],
      ["POST", `/api/v1/leads/${lead.id}/convert`, { createDeal: {} }],
    ];
    for (const [method, path, body] of requests) {
      await expectProblem(await api(method, path, { token: intruder.accessToken, body }), 404, "NOT_FOUND");
    }
    for (const query of ["", "?view=high_value", "?view=unassigned", "?q=private", "?stage=lead"]) {
      expect((await get(intruder.accessToken, `/api/v1/leads${query}`)).data, query).toEqual([]);
    }
    const bulk = await api("POST", "/api/v1/leads/bulk", {
      token: intruder.accessToken,
      body: { action: "assign", ids: [lead.id], ownerId: null },
    });
    expect((await expectProblem(bulk, 422)).errors).toEqual([{ path: "body.ids.0", message: "No lead has this id" }]);
    expect(await get(owner.accessToken, `/api/v1/leads/${lead.id}`)).toEqual(lead);
  });
});
