import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { createDeal, get, patch, pipelineNamed, post, stageNamed } from "../deals/test-support";

const summary = (stage: { name: string; probability: number; isWon: boolean; isLost: boolean; position: number }) => [
  stage.name,
  stage.probability,
  stage.isWon ? "won" : stage.isLost ? "lost" : "open",
  stage.position,
];

describe("pipelines: seeded defaults", () => {
  it("gives every new tenant exactly Sales, Backlink outreach and Partnership with their stages", async () => {
    const owner = await signupTenant();
    const page = await get(owner.accessToken, "/api/v1/pipelines");
    expect(page.nextCursor).toBeNull();
    expect(page.data.map((p: { name: string; position: number }) => [p.name, p.position])).toEqual([
      ["Sales", 0],
      ["Backlink outreach", 1],
      ["Partnership", 2],
    ]);
    const [sales, backlink, partnership] = page.data;
    expect(sales.stages.map(summary)).toEqual([
      ["New Lead", 10, "open", 0],
      ["Contacted", 20, "open", 1],
      ["Interested", 40, "open", 2],
      ["Proposal Sent", 60, "open", 3],
      ["Negotiating", 80, "open", 4],
      ["Won", 100, "won", 5],
      ["Lost", 0, "lost", 6],
    ]);
    expect(backlink.stages.map((s: { name: string }) => s.name)).toEqual([
      "Opportunity Found",
      "Contact Found",
      "Pitch Sent",
      "Follow-up 1",
      "Follow-up 2",
      "Responded",
      "Link Placed",
      "Rejected",
    ]);
    expect(stageNamed(backlink, "Link Placed").isWon).toBe(true);
    expect(stageNamed(backlink, "Rejected").isLost).toBe(true);
    expect(partnership.stages.map(summary).map(([name, , kind]: unknown[]) => [name, kind])).toEqual([
      ["Prospect", "open"],
      ["Intro Call", "open"],
      ["Evaluation", "open"],
      ["Agreement Sent", "open"],
      ["Partner", "won"],
      ["Not a Fit", "lost"],
    ]);
    expect(stageNamed(backlink, "Pitch Sent")).toMatchObject({
      followUpDays: 4,
      autoActions: ["send_follow_up_email"],
    });

    // Another tenant's seed is its own: different ids, same shape.
    const other = await signupTenant("Other");
    const otherSales = await pipelineNamed(other.accessToken, "Sales");
    expect(otherSales.id).not.toBe(sales.id);
    expect(otherSales.stages.map((s) => s.id)).not.toContain(sales.stages[0].id);
    expect((await get(other.accessToken, "/api/v1/pipelines")).data).toHaveLength(3);
  });
});

describe("pipelines: CRUD", () => {
  it("creates, reads, renames and deletes a pipeline; names are unique per tenant", async () => {
    const owner = await signupTenant();
    const created = await post(owner.accessToken, "/api/v1/pipelines", {
      name: "Enterprise",
      stages: [
        { name: "Discovery", probability: 15, followUpDays: 2, autoActions: ["create_follow_up_task"] },
        { name: "Signed", isWon: true },
        { name: "Dropped", isLost: true },
      ],
    });
    expect(created).toMatchObject({ name: "Enterprise", position: 3 });
    expect(created.stages.map(summary)).toEqual([
      ["Discovery", 15, "open", 0],
      ["Signed", 100, "won", 1],
      ["Dropped", 0, "lost", 2],
    ]);
    expect(created.stages[0]).toMatchObject({
      followUpDays: 2,
      autoActions: ["create_follow_up_task"],
      pipelineId: created.id,
    });
    expect(await get(owner.accessToken, `/api/v1/pipelines/${created.id}`)).toEqual(created);

    const duplicate = await api("POST", "/api/v1/pipelines", {
      token: owner.accessToken,
      body: { name: "Sales", stages: [{ name: "A" }] },
    });
    expect((await expectProblem(duplicate, 409, "CONFLICT")).errors).toEqual([
      { path: "body.name", message: "Already used by another pipeline" },
    ]);
    await expectProblem(
      await api("PATCH", `/api/v1/pipelines/${created.id}`, {
        token: owner.accessToken,
        body: { name: "Partnership" },
      }),
      409,
      "CONFLICT",
    );

    const renamed = await patch(owner.accessToken, `/api/v1/pipelines/${created.id}`, {
      name: "Enterprise sales",
      position: 0,
    });
    expect(renamed).toMatchObject({ name: "Enterprise sales", position: 0 });

    const bothFlags = await api("POST", "/api/v1/pipelines", {
      token: owner.accessToken,
      body: { name: "Bad", stages: [{ name: "A", isWon: true, isLost: true }] },
    });
    expect((await expectProblem(bothFlags, 422)).errors).toEqual([
      { path: "body.stages.0.isLost", message: "Cannot be true together with isWon" },
    ]);
    const badProbability = await api("POST", "/api/v1/pipelines", {
      token: owner.accessToken,
      body: { name: "Bad", stages: [{ name: "A", probability: 101 }] },
    });
    expect((await expectProblem(badProbability, 422)).errors[0].path).toBe("body.stages.0.probability");

    // A pipeline with deals cannot go; once they are gone it can.
    const deal = await createDeal(owner.accessToken, { name: "Big one", pipelineId: created.id });
    await expectProblem(
      await api("DELETE", `/api/v1/pipelines/${created.id}`, { token: owner.accessToken }),
      409,
      "CONFLICT",
    );
    expect((await api("DELETE", `/api/v1/deals/${deal.id}`, { token: owner.accessToken })).status).toBe(204);
    expect((await api("DELETE", `/api/v1/pipelines/${created.id}`, { token: owner.accessToken })).status).toBe(204);
    await expectProblem(
      await api("GET", `/api/v1/pipelines/${created.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
  });

  it("keeps pipeline configuration to owners and admins", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const forbidden = await api("POST", "/api/v1/pipelines", {
      token: member.accessToken,
      body: { name: "Mine", stages: [{ name: "A" }] },
    });
    await expectProblem(forbidden, 403, "FORBIDDEN");
    expect((await get(member.accessToken, "/api/v1/pipelines")).data).toHaveLength(3);
    const reader = await createKey(owner, ["pipelines:read"]);
    expect((await get(reader.key, "/api/v1/pipelines")).data).toHaveLength(3);
    await expectProblem(
      await api("POST", "/api/v1/pipelines", { token: reader.key, body: { name: "X", stages: [{ name: "A" }] } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
  });
});

describe("pipelines: stages", () => {
  it("adds, edits, reorders and deletes stages", async () => {
    const owner = await signupTenant();
    const pipeline = await post(owner.accessToken, "/api/v1/pipelines", {
      name: "Hiring",
      stages: [{ name: "Applied" }, { name: "Hired", isWon: true }],
    });
    const base = `/api/v1/pipelines/${pipeline.id}`;

    const screen = await post(owner.accessToken, `${base}/stages`, {
      name: "Screen",
      probability: 30,
      position: 1,
      followUpDays: 3,
    });
    expect(screen).toMatchObject({
      name: "Screen",
      probability: 30,
      position: 1,
      isWon: false,
      isLost: false,
      followUpDays: 3,
      autoActions: [],
    });
    const rejected = await post(owner.accessToken, `${base}/stages`, { name: "Rejected", isLost: true });
    expect(rejected).toMatchObject({ position: 3, probability: 0, isLost: true });
    expect((await get(owner.accessToken, base)).stages.map((s: { name: string }) => s.name)).toEqual([
      "Applied",
      "Screen",
      "Hired",
      "Rejected",
    ]);

    await expectProblem(
      await api("POST", `${base}/stages`, { token: owner.accessToken, body: { name: "screen" } }),
      409,
      "CONFLICT",
    );
    const pastEnd = await api("POST", `${base}/stages`, {
      token: owner.accessToken,
      body: { name: "Late", position: 9 },
    });
    expect((await expectProblem(pastEnd, 422)).errors).toEqual([
      { path: "body.position", message: "Must be between 0 and 4" },
    ]);

    const edited = await patch(owner.accessToken, `${base}/stages/${screen.id}`, {
      name: "Phone screen",
      probability: 35,
      autoActions: ["send_follow_up_email"],
      followUpDays: null,
    });
    expect(edited).toMatchObject({
      name: "Phone screen",
      probability: 35,
      autoActions: ["send_follow_up_email"],
      followUpDays: null,
    });
    const both = await api("PATCH", `${base}/stages/${rejected.id}`, {
      token: owner.accessToken,
      body: { isWon: true },
    });
    expect((await expectProblem(both, 422)).errors).toEqual([
      { path: "body.isLost", message: "Cannot be true together with isWon" },
    ]);

    const ids = (await get(owner.accessToken, base)).stages.map((s: { id: string }) => s.id);
    const reordered = await post(
      owner.accessToken,
      `${base}/stages/reorder`,
      { stageIds: [ids[1], ids[0], ids[3], ids[2]] },
      200,
    );
    expect(reordered.stages.map((s: { name: string; position: number }) => [s.name, s.position])).toEqual([
      ["Phone screen", 0],
      ["Applied", 1],
      ["Rejected", 2],
      ["Hired", 3],
    ]);
    const incomplete = await api("POST", `${base}/stages/reorder`, {
      token: owner.accessToken,
      body: { stageIds: [ids[0], ids[0], "stg_unknown"] },
    });
    expect((await expectProblem(incomplete, 422)).errors).toEqual([
      { path: "body.stageIds.1", message: "Listed more than once" },
      { path: "body.stageIds.2", message: "Not a stage of this pipeline" },
      // Missing ones are named in board order (after the reorder above).
      { path: "body.stageIds", message: `Missing stages: ${[ids[1], ids[3], ids[2]].join(", ")}` },
    ]);

    // A stage with deals: 409, or its deals move with moveDealsTo (history closed and opened).
    const deal = await createDeal(owner.accessToken, { name: "Candidate", stageId: ids[0] });
    const blocked = await api("DELETE", `${base}/stages/${ids[0]}`, { token: owner.accessToken });
    expect((await expectProblem(blocked, 409, "CONFLICT")).dealCount).toBe(1);
    const elsewhere = await api("DELETE", `${base}/stages/${ids[0]}?moveDealsTo=${ids[0]}`, {
      token: owner.accessToken,
    });
    expect((await expectProblem(elsewhere, 422)).errors).toEqual([
      { path: "query.moveDealsTo", message: "Not another stage of this pipeline" },
    ]);
    expect(
      (await api("DELETE", `${base}/stages/${ids[0]}?moveDealsTo=${ids[2]}`, { token: owner.accessToken })).status,
    ).toBe(204);
    const moved = await get(owner.accessToken, `/api/v1/deals/${deal.id}`);
    expect(moved).toMatchObject({ stageId: ids[2], status: "won", probability: 100, closedAt: moved.stageEnteredAt });
    const history = (await get(owner.accessToken, `/api/v1/deals/${deal.id}/stage-history`)).data;
    expect(history.map((h: { stageId: string; leftAt: string | null }) => [h.stageId, h.leftAt])).toEqual([
      [ids[0], moved.stageEnteredAt],
      [ids[2], null],
    ]);
    expect(history[0].stageName).toBeNull();
    const after = await get(owner.accessToken, base);
    expect(after.stages.map((s: { name: string; position: number }) => [s.name, s.position])).toEqual([
      ["Phone screen", 0],
      ["Rejected", 1],
      ["Hired", 2],
    ]);
  });
});

describe("pipelines: another tenant", () => {
  it("answers 404 for another tenant's pipeline, stages and board, and lists none of them", async () => {
    const owner = await signupTenant();
    const intruder = await signupTenant("Intruder");
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const stage = sales.stages[0]!;
    const paths: [string, string, unknown?][] = [
      ["GET", `/api/v1/pipelines/${sales.id}`],
      ["GET", `/api/v1/pipelines/${sales.id}/board`],
      ["PATCH", `/api/v1/pipelines/${sales.id}`, { name: "Mine now" }],
      ["DELETE", `/api/v1/pipelines/${sales.id}`],
      ["POST", `/api/v1/pipelines/${sales.id}/stages`, { name: "Injected" }],
      ["PATCH", `/api/v1/pipelines/${sales.id}/stages/${stage.id}`, { name: "Renamed" }],
      ["DELETE", `/api/v1/pipelines/${sales.id}/stages/${stage.id}`],
      ["POST", `/api/v1/pipelines/${sales.id}/stages/reorder`, { stageIds: sales.stages.map((s) => s.id) }],
    ];
    for (const [method, path, body] of paths) {
      await expectProblem(await api(method, path, { token: intruder.accessToken, body }), 404, "NOT_FOUND");
    }
    const theirs = (await get(intruder.accessToken, "/api/v1/pipelines")).data.map((p: { id: string }) => p.id);
    expect(theirs).not.toContain(sales.id);
    expect(await get(owner.accessToken, `/api/v1/pipelines/${sales.id}`)).toEqual(sales);
    // A stage of the owner's pipeline cannot be reached through the intruder's own pipeline either.
    const intruderSales = await pipelineNamed(intruder.accessToken, "Sales");
    await expectProblem(
      await api("PATCH", `/api/v1/pipelines/${intruderSales.id}/stages/${stage.id}`, {
        token: intruder.accessToken,
        body: { name: "X" },
      }),
      404,
    );
  });
});
