import { auditLog, contactLifecycleHistory, dealStageHistory, leadStageHistory, newId } from "@crm/db";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant, type TestTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import {
  dbOf,
  insertCompany,
  insertContact,
  insertDeal,
  insertLead,
  ok,
  setRecordVisibility,
  walk,
} from "../tasks/test-support";

const hour = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** A history id whose order against the others is set by `rank` (storage is shared between tests). */
const rankedId = (rank: string) => `lch_${rank}${crypto.randomUUID().replaceAll("-", "").slice(0, 25)}`;

interface Item {
  id: string;
  type: string;
  occurredAt: string;
  actorId: string | null;
  summary: string;
  data: Record<string, unknown>;
}

/** The audit entries the contacts service writes, dated in the past. */
async function insertAudit(
  owner: TestTenant,
  actorId: string,
  entity: string,
  entityId: string,
  action: "create" | "update",
  at: number,
  change: Record<string, unknown>,
) {
  return dbOf(owner.tenantId).insert(auditLog, {
    id: newId("audit"),
    actorType: "user",
    actorId,
    via: "ui",
    action,
    entity,
    entityId,
    before: action === "update" ? Object.fromEntries(Object.keys(change).map((k) => [k, null])) : null,
    after: change,
    requestId: null,
    createdAt: new Date(at),
  });
}

/** A contact with twelve timeline items from every source, some sharing a timestamp. */
async function contactWithHistory() {
  const owner = await signupTenant();
  const token = owner.accessToken;
  const ownerId = await userIdOf(owner);
  const contact = await insertContact(owner.tenantId, { ownerId });
  const t = Date.now() - 10 * 24 * hour;
  const created = await insertAudit(owner, ownerId, "contact", contact.id, "create", t, { firstName: "Ada" });
  const lifecycle = (
    id: string,
    fromStage: "lead" | "mql" | "sql" | null,
    toStage: "lead" | "mql" | "sql",
    at: number,
  ) =>
    dbOf(owner.tenantId).insert(contactLifecycleHistory, {
      id,
      contactId: contact.id,
      fromStage,
      toStage,
      changedBy: ownerId,
      changedAt: new Date(at),
    });
  const toLead = await lifecycle(rankedId("a"), null, "lead", t + hour);
  const on = { recordType: "contact", recordId: contact.id };
  const call = await ok("POST", "/api/v1/activities", token, {
    ...on,
    type: "call",
    subject: "Intro call",
    occurredAt: iso(t + 2 * hour),
    durationMinutes: 15,
  });
  const updated = await insertAudit(owner, ownerId, "contact", contact.id, "update", t + 3 * hour, {
    title: "CTO",
    lifecycleStage: "lead",
  });
  // Two stage changes at one instant: the id decides their order.
  const toMql = await lifecycle(rankedId("b"), "lead", "mql", t + 5 * hour);
  const toSql = await lifecycle(rankedId("a"), "mql", "sql", t + 5 * hour);
  // An activity and a stage change at one instant across sources.
  const meeting = await ok("POST", "/api/v1/activities", token, {
    ...on,
    type: "meeting",
    subject: "Demo",
    occurredAt: iso(t + 6 * hour),
  });
  const sameInstant = await lifecycle(rankedId("c"), "sql", "sql", t + 6 * hour);
  const firstTask = await ok("POST", "/api/v1/tasks", token, { title: "Send pricing", ...on });
  const firstNote = await ok("POST", "/api/v1/notes", token, { ...on, body: "Prefers email" });
  const secondTask = await ok("POST", "/api/v1/tasks", token, { title: "Book follow-up", ...on });
  const secondNote = await ok("POST", "/api/v1/notes", token, { ...on, body: "Budget approved" });
  const completed = await ok("POST", `/api/v1/tasks/${firstTask.id}/complete`, token, undefined, 200);
  // Not about this contact: never on its timeline.
  await ok("POST", "/api/v1/tasks", token, { title: "Unrelated" });
  const expected = [
    [`${firstTask.id}:completed`, "task_completed"],
    [secondNote.id, "note"],
    [secondTask.id, "task_created"],
    [firstNote.id, "note"],
    [firstTask.id, "task_created"],
    [sameInstant.id, "stage_change"],
    [meeting.id, "activity"],
    [toMql.id, "stage_change"],
    [toSql.id, "stage_change"],
    [updated.id, "record_updated"],
    [call.id, "activity"],
    [toLead.id, "stage_change"],
    [created.id, "record_created"],
  ];
  return {
    owner,
    token,
    ownerId,
    contact,
    created,
    updated,
    toLead,
    toMql,
    call,
    firstTask,
    secondNote,
    completed,
    expected,
  };
}

describe("record timeline", () => {
  it("merges every source newest first, and every page size walks the same sequence exactly", async () => {
    const {
      token,
      ownerId,
      contact,
      created,
      updated,
      toLead,
      toMql,
      call,
      firstTask,
      secondNote,
      completed,
      expected,
    } = await contactWithHistory();
    const path = `/api/v1/contacts/${contact.id}/timeline`;
    const all = await ok("GET", `${path}?limit=50`, token);
    expect(all.nextCursor).toBeNull();
    expect(all.data.map((i: Item) => [i.id, i.type])).toEqual(expected);
    for (const limit of [1, 2, 3, 5]) {
      expect((await walk<Item>(token, path, limit)).map((i) => [i.id, i.type])).toEqual(expected);
    }

    const byId = new Map<string, Item>(all.data.map((i: Item) => [i.id, i]));
    expect(byId.get(`${firstTask.id}:completed`)).toEqual({
      id: `${firstTask.id}:completed`,
      type: "task_completed",
      occurredAt: completed.completedAt,
      actorId: null,
      summary: "Task completed: Send pricing",
      data: { taskId: firstTask.id, title: "Send pricing", assigneeId: null },
    });
    expect(byId.get(secondNote.id)).toEqual({
      id: secondNote.id,
      type: "note",
      occurredAt: secondNote.createdAt,
      actorId: ownerId,
      summary: "Budget approved",
      data: { noteId: secondNote.id, body: "Budget approved" },
    });
    expect(byId.get(firstTask.id)).toEqual({
      id: firstTask.id,
      type: "task_created",
      occurredAt: firstTask.createdAt,
      actorId: ownerId,
      summary: "Task created: Send pricing",
      data: {
        taskId: firstTask.id,
        title: "Send pricing",
        status: "done",
        priority: "normal",
        dueAt: null,
        assigneeId: null,
      },
    });
    expect(byId.get(call.id)).toEqual({
      id: call.id,
      type: "activity",
      occurredAt: call.occurredAt,
      actorId: ownerId,
      summary: "Call: Intro call",
      data: {
        activityId: call.id,
        activityType: "call",
        subject: "Intro call",
        body: null,
        durationMinutes: 15,
        outcome: null,
      },
    });
    expect(byId.get(toMql.id)).toEqual({
      id: toMql.id,
      type: "stage_change",
      occurredAt: toMql.changedAt.toISOString(),
      actorId: ownerId,
      summary: "Lifecycle stage: lead → mql",
      data: { field: "lifecycleStage", from: "lead", to: "mql" },
    });
    expect(byId.get(toLead.id)?.summary).toBe("Lifecycle stage: lead");
    expect(byId.get(updated.id)).toEqual({
      id: updated.id,
      type: "record_updated",
      occurredAt: updated.createdAt.toISOString(),
      actorId: ownerId,
      summary: "Updated title, lifecycleStage",
      data: {
        via: "ui",
        before: { title: null, lifecycleStage: null },
        after: { title: "CTO", lifecycleStage: "lead" },
      },
    });
    expect(byId.get(created.id)).toEqual({
      id: created.id,
      type: "record_created",
      occurredAt: created.createdAt.toISOString(),
      actorId: ownerId,
      summary: "Contact created",
      data: { via: "ui", after: { firstName: "Ada" } },
    });
  });

  it("types= keeps only the named item types, still paginated exactly", async () => {
    const { token, contact, expected } = await contactWithHistory();
    const path = `/api/v1/contacts/${contact.id}/timeline`;
    const only = (...types: string[]) => expected.filter(([, type]) => types.includes(type!));
    expect((await walk<Item>(token, `${path}?types=note&types=activity`, 1)).map((i) => [i.id, i.type])).toEqual(
      only("note", "activity"),
    );
    // The creation entry is older than every update: a one-item page must still reach it.
    expect((await walk<Item>(token, `${path}?types=record_created`, 1)).map((i) => [i.id, i.type])).toEqual(
      only("record_created"),
    );
    expect((await walk<Item>(token, `${path}?types=stage_change`, 2)).map((i) => [i.id, i.type])).toEqual(
      only("stage_change"),
    );
    const problem = await expectProblem(await api("GET", `${path}?types=email_opened`, { token }), 422);
    expect(problem.errors[0].path).toMatch(/^query\.types/);
    await expectProblem(await api("GET", `${path}?cursor=not-a-cursor`, { token }), 422);
  });

  it("shows deal stage moves by stage name and lead stage changes with their reason", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const ownerId = await userIdOf(owner);
    const { deal, pipeline, stage } = await insertDeal(owner.tenantId, { ownerId });
    const t = Date.now() - 2 * hour;
    const move = await dbOf(owner.tenantId).insert(dealStageHistory, {
      id: newId("dealStageChange"),
      dealId: deal.id,
      pipelineId: pipeline.id,
      stageId: stage.id,
      enteredAt: new Date(t),
      changedBy: ownerId,
    });
    const note = await ok("POST", "/api/v1/notes", token, {
      recordType: "deal",
      recordId: deal.id,
      body: "Verbal yes",
    });
    expect((await ok("GET", `/api/v1/deals/${deal.id}/timeline`, token)).data).toEqual([
      {
        id: note.id,
        type: "note",
        occurredAt: note.createdAt,
        actorId: ownerId,
        summary: "Verbal yes",
        data: { noteId: note.id, body: "Verbal yes" },
      },
      {
        id: move.id,
        type: "stage_change",
        occurredAt: iso(t),
        actorId: ownerId,
        summary: "Moved to Proposal Sent",
        data: { field: "stage", pipelineId: pipeline.id, stageId: stage.id, stageName: "Proposal Sent", leftAt: null },
      },
    ]);

    const lead = await insertLead(owner.tenantId, { ownerId });
    const lost = await dbOf(owner.tenantId).insert(leadStageHistory, {
      id: newId("leadStageChange"),
      leadId: lead.id,
      fromStage: "sql",
      toStage: "lost",
      reason: "No budget",
      changedBy: ownerId,
      changedAt: new Date(t),
    });
    expect((await ok("GET", `/api/v1/leads/${lead.id}/timeline`, token)).data).toEqual([
      {
        id: lost.id,
        type: "stage_change",
        occurredAt: iso(t),
        actorId: ownerId,
        summary: "Stage: sql → lost (No budget)",
        data: { field: "stage", from: "sql", to: "lost", reason: "No budget" },
      },
    ]);

    const company = await insertCompany(owner.tenantId, { ownerId });
    const call = await ok("POST", "/api/v1/activities", token, {
      type: "call",
      recordType: "company",
      recordId: company.id,
      subject: "Account review",
    });
    expect((await ok("GET", `/api/v1/companies/${company.id}/timeline`, token)).data.map((i: Item) => i.id)).toEqual([
      call.id,
    ]);
  });

  it("is a 404 for an unknown record, another tenant's, or one hidden by own-record visibility", async () => {
    const { owner, token, contact } = await contactWithHistory();
    await expectProblem(
      await api("GET", "/api/v1/contacts/ct_01jc9x7d1q8m3v5n2k4p6r8t0w/timeline", { token }),
      404,
      "NOT_FOUND",
    );
    // An id of another type is not a contact.
    const company = await insertCompany(owner.tenantId);
    await expectProblem(await api("GET", `/api/v1/contacts/${company.id}/timeline`, { token }), 404);
    const other = await signupTenant("Other");
    for (const object of ["contacts", "companies", "deals", "leads"]) {
      await expectProblem(
        await api("GET", `/api/v1/${object}/${contact.id}/timeline`, { token: other.accessToken }),
        404,
        "NOT_FOUND",
      );
    }
    const member = await addMember(owner, "member");
    expect((await ok("GET", `/api/v1/contacts/${contact.id}/timeline?limit=1`, member.accessToken)).data).toHaveLength(
      1,
    );
    await setRecordVisibility(owner.tenantId, { member: "own" });
    await expectProblem(
      await api("GET", `/api/v1/contacts/${contact.id}/timeline`, { token: member.accessToken }),
      404,
    );
  });

  it("API keys need the object's read scope", async () => {
    const owner = await signupTenant();
    const contact = await insertContact(owner.tenantId);
    const wrong = await createKey(owner, ["deals:read"]);
    await expectProblem(
      await api("GET", `/api/v1/contacts/${contact.id}/timeline`, { token: wrong.key }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const right = await createKey(owner, ["contacts:read"]);
    expect(await ok("GET", `/api/v1/contacts/${contact.id}/timeline`, right.key)).toEqual({
      data: [],
      nextCursor: null,
    });
  });
});

describe("timeline type filters with no matching source", () => {
  it("answers an empty page when a company's timeline is asked only for stage changes", async () => {
    const owner = await signupTenant("No stages");
    const company = await ok("POST", "/api/v1/companies", owner.accessToken, { name: "Stageless" });
    const response = await api("GET", `/api/v1/companies/${company.id}/timeline?types=stage_change`, {
      token: owner.accessToken,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: [], nextCursor: null });
  });
});
