import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import { tasks } from "@crm/db";
import { anyIso, dbOf, insertContact, listIds, ok, walk } from "./test-support";

const hour = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe("tasks: create, read, update, complete, delete", () => {
  it("creates a task with defaults and returns exactly what GET and the list return", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const contact = await insertContact(owner.tenantId);
    const due = iso(Date.now() + 48 * hour);
    const created = await ok("POST", "/api/v1/tasks", owner.accessToken, {
      title: "  Send the proposal ",
      dueAt: due,
      assigneeId: ownerId,
      recordType: "contact",
      recordId: contact.id,
      tags: ["Q4", "q4", " Follow up "],
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^task_[0-9a-z]{26}$/),
      title: "Send the proposal",
      description: null,
      dueAt: due,
      priority: "normal",
      status: "open",
      assigneeId: ownerId,
      recordType: "contact",
      recordId: contact.id,
      completedAt: null,
      ownerId,
      tags: ["q4", "follow up"],
      customFields: {},
      createdAt: anyIso,
      updatedAt: created.createdAt,
    });
    expect(await ok("GET", `/api/v1/tasks/${created.id}`, owner.accessToken)).toEqual(created);
    expect(await ok("GET", "/api/v1/tasks", owner.accessToken)).toEqual({ data: [created], nextCursor: null });
  });

  it("updates only the fields sent; done stamps completedAt and reopening clears it", async () => {
    const owner = await signupTenant();
    const task = await ok("POST", "/api/v1/tasks", owner.accessToken, {
      title: "Call back",
      priority: "high",
      description: "About pricing",
    });
    const patched = await ok("PATCH", `/api/v1/tasks/${task.id}`, owner.accessToken, {
      status: "in_progress",
      description: null,
    });
    expect(patched).toEqual({ ...task, status: "in_progress", description: null, updatedAt: anyIso });

    const done = await ok("POST", `/api/v1/tasks/${task.id}/complete`, owner.accessToken, undefined, 200);
    expect(done).toEqual({ ...patched, status: "done", completedAt: anyIso, updatedAt: done.completedAt });
    // Completing again changes nothing.
    expect(await ok("POST", `/api/v1/tasks/${task.id}/complete`, owner.accessToken, undefined, 200)).toEqual(done);

    const reopened = await ok("PATCH", `/api/v1/tasks/${task.id}`, owner.accessToken, { status: "open" });
    expect(reopened.completedAt).toBeNull();
    expect(reopened.status).toBe("open");
  });

  it("deletes a task: 204, then 404 and gone from the list", async () => {
    const owner = await signupTenant();
    const task = await ok("POST", "/api/v1/tasks", owner.accessToken, { title: "Temporary" });
    expect((await api("DELETE", `/api/v1/tasks/${task.id}`, { token: owner.accessToken })).status).toBe(204);
    await expectProblem(await api("GET", `/api/v1/tasks/${task.id}`, { token: owner.accessToken }), 404, "NOT_FOUND");
    expect(await listIds(owner.accessToken, "/api/v1/tasks")).toEqual([]);
  });

  it("rejects bad input with the field's path", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const foreignContact = await insertContact(other.tenantId);
    const token = owner.accessToken;
    const post = (body: unknown) => api("POST", "/api/v1/tasks", { token, body });

    let problem = await expectProblem(await post({ title: "" }), 422, "VALIDATION_FAILED");
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["body.title"]);
    problem = await expectProblem(await post({ title: "x", priority: "asap", dueAt: "tomorrow" }), 422);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.dueAt", "body.priority"]);
    problem = await expectProblem(await post({ title: "x", assigneeId: await userIdOf(other) }), 422);
    expect(problem.errors).toEqual([
      { path: "body.assigneeId", message: "No member of this organization has this user id" },
    ]);
    // Another tenant's record is as unknown as a made-up one.
    problem = await expectProblem(await post({ title: "x", recordType: "contact", recordId: foreignContact.id }), 422);
    expect(problem.errors).toEqual([{ path: "body.recordId", message: "No contact has this id" }]);
    problem = await expectProblem(await post({ title: "x", recordType: "deal" }), 422);
    expect(problem.errors[0].path).toBe("body.recordId");
    problem = await expectProblem(await post({ title: "x", customFields: { nope: 1 } }), 422);
    expect(problem.errors).toEqual([{ path: "body.customFields.nope", message: "No custom field has this key" }]);
    problem = await expectProblem(await post({ title: "x", colour: "red" }), 422);
    expect(problem.errors[0].path).toBe("body");
    expect(await listIds(token, "/api/v1/tasks")).toEqual([]);
  });
});

describe("tasks: views, filters and sorts", () => {
  it("view=overdue lists open and in-progress tasks due before now; view=mine lists the caller's", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const token = owner.accessToken;
    const past = iso(Date.now() - 2 * hour);
    const future = iso(Date.now() + 2 * hour);
    const overdueOpen = await ok("POST", "/api/v1/tasks", token, {
      title: "late",
      dueAt: past,
      assigneeId: member.userId,
    });
    const overdueInProgress = await ok("POST", "/api/v1/tasks", token, {
      title: "late too",
      dueAt: past,
      status: "in_progress",
    });
    await ok("POST", "/api/v1/tasks", token, { title: "late but done", dueAt: past, status: "done" });
    await ok("POST", "/api/v1/tasks", token, { title: "late but cancelled", dueAt: past, status: "cancelled" });
    const upcoming = await ok("POST", "/api/v1/tasks", token, {
      title: "later",
      dueAt: future,
      assigneeId: member.userId,
    });
    await ok("POST", "/api/v1/tasks", token, { title: "no due date" });

    expect(await listIds(token, "/api/v1/tasks?view=overdue&sort=createdAt")).toEqual([
      overdueOpen.id,
      overdueInProgress.id,
    ]);
    expect(await listIds(member.accessToken, "/api/v1/tasks?view=mine&sort=createdAt")).toEqual([
      overdueOpen.id,
      upcoming.id,
    ]);
    const dueBeforeNow = `dueTo=${encodeURIComponent(iso(Date.now()))}`;
    expect(await listIds(member.accessToken, `/api/v1/tasks?view=mine&status=open&${dueBeforeNow}`)).toEqual([
      overdueOpen.id,
    ]);
    expect(await listIds(token, "/api/v1/tasks?view=mine")).toEqual([]);

    const key = await createKey(owner, ["tasks:read"]);
    const problem = await expectProblem(await api("GET", "/api/v1/tasks?view=mine", { token: key.key }), 422);
    expect(problem.errors).toEqual([{ path: "query.view", message: "Use assigneeId=<user id> with an API key" }]);
    expect(await listIds(key.key, `/api/v1/tasks?assigneeId=${member.userId}&sort=createdAt`)).toEqual([
      overdueOpen.id,
      upcoming.id,
    ]);
  });

  it("filters by status, priority, record, due range, tag, q and owner; sorts by dueAt and priority", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const contact = await insertContact(owner.tenantId);
    const t0 = Date.now() + 10 * hour;
    const a = await ok("POST", "/api/v1/tasks", token, {
      title: "Quarterly review",
      dueAt: iso(t0 + 3 * hour),
      priority: "low",
      tags: ["ops"],
    });
    const b = await ok("POST", "/api/v1/tasks", token, {
      title: "Prepare contract",
      description: "Zanzibar office lease",
      dueAt: iso(t0 + 1 * hour),
      priority: "urgent",
      recordType: "contact",
      recordId: contact.id,
      tags: ["legal", "ops"],
    });
    const c = await ok("POST", "/api/v1/tasks", token, {
      title: "Email the team",
      priority: "high",
      status: "in_progress",
    });
    const d = await ok("POST", "/api/v1/tasks", token, {
      title: "Book venue",
      dueAt: iso(t0 + 2 * hour),
      status: "done",
    });

    expect(await listIds(token, "/api/v1/tasks?status=open&sort=createdAt")).toEqual([a.id, b.id]);
    expect(await listIds(token, "/api/v1/tasks?status=open&status=in_progress&sort=createdAt")).toEqual([
      a.id,
      b.id,
      c.id,
    ]);
    expect(await listIds(token, "/api/v1/tasks?priority=urgent")).toEqual([b.id]);
    expect(await listIds(token, `/api/v1/tasks?recordType=contact&recordId=${contact.id}`)).toEqual([b.id]);
    const range = `dueFrom=${encodeURIComponent(iso(t0 + hour))}&dueTo=${encodeURIComponent(iso(t0 + 3 * hour))}`;
    expect(await listIds(token, `/api/v1/tasks?${range}&sort=dueAt`)).toEqual([b.id, d.id]);
    expect(await listIds(token, "/api/v1/tasks?tag=ops&sort=createdAt")).toEqual([a.id, b.id]);
    expect(await listIds(token, "/api/v1/tasks?tag=ops&tag=legal")).toEqual([b.id]);
    expect(await listIds(token, "/api/v1/tasks?q=zanzib")).toEqual([b.id]);
    expect(await listIds(token, "/api/v1/tasks?q=quarterly%20rev")).toEqual([a.id]);
    expect(await listIds(token, "/api/v1/tasks?ownerId=me&sort=createdAt")).toEqual([a.id, b.id, c.id, d.id]);

    // dueAt ascending puts undated tasks last; descending first. priority ranks low < normal < high < urgent.
    expect(await listIds(token, "/api/v1/tasks?sort=dueAt")).toEqual([b.id, d.id, a.id, c.id]);
    expect(await listIds(token, "/api/v1/tasks?sort=-dueAt")).toEqual([c.id, a.id, d.id, b.id]);
    expect(await listIds(token, "/api/v1/tasks?sort=-priority")).toEqual([b.id, c.id, d.id, a.id]);
    // Paging a computed sort continues exactly.
    expect((await walk(token, "/api/v1/tasks?sort=dueAt", 1)).map((t) => t.id)).toEqual([b.id, d.id, a.id, c.id]);
    expect((await walk(token, "/api/v1/tasks?sort=priority", 3)).map((t) => t.id)).toEqual([a.id, d.id, c.id, b.id]);

    const problem = await expectProblem(await api("GET", "/api/v1/tasks?sort=colour", { token }), 422);
    expect(problem.errors[0].path).toBe("query.sort");
  });
});

describe("tasks: bulk", () => {
  it("updates, tags, assigns and deletes several tasks with one result per id", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const token = owner.accessToken;
    const ids = [];
    for (const title of ["one", "two", "three"])
      ids.push((await ok("POST", "/api/v1/tasks", token, { title, tags: ["old"] })).id);

    const bulk = (body: unknown) => ok("POST", "/api/v1/tasks/bulk", token, body, 200);
    expect(await bulk({ action: "update", ids, changes: { status: "done", priority: "urgent" } })).toEqual({
      results: ids.map((id) => ({ id, status: "updated" })),
    });
    const afterUpdate = await ok("GET", "/api/v1/tasks?sort=createdAt", token);
    expect(
      afterUpdate.data.map((t: { status: string; priority: string; completedAt: string | null }) => [
        t.status,
        t.priority,
        t.completedAt !== null,
      ]),
    ).toEqual([
      ["done", "urgent", true],
      ["done", "urgent", true],
      ["done", "urgent", true],
    ]);

    await bulk({ action: "tag", ids: [ids[0], ids[1]], tags: ["New"] });
    await bulk({ action: "untag", ids: [ids[1]], tags: ["old"] });
    expect(await listIds(token, "/api/v1/tasks?tag=new&tag=old")).toEqual([ids[0]]);

    await bulk({ action: "assign", ids, assigneeId: member.userId });
    expect(await listIds(member.accessToken, "/api/v1/tasks?view=mine&sort=createdAt")).toEqual(ids);

    expect(await bulk({ action: "delete", ids: [ids[2], ids[0]] })).toEqual({
      results: [
        { id: ids[2], status: "deleted" },
        { id: ids[0], status: "deleted" },
      ],
    });
    expect(await listIds(token, "/api/v1/tasks")).toEqual([ids[1]]);
  });

  it("is all or nothing: an unknown, foreign or repeated id changes nothing and is named", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const token = owner.accessToken;
    const mine = await ok("POST", "/api/v1/tasks", token, { title: "mine" });
    const foreign = await ok("POST", "/api/v1/tasks", other.accessToken, { title: "theirs" });
    const response = await api("POST", "/api/v1/tasks/bulk", {
      token,
      body: {
        action: "update",
        ids: [mine.id, foreign.id, "task_01jc9x7d1q8m3v5n2k4p6r8t0w", mine.id],
        changes: { status: "cancelled" },
      },
    });
    const problem = await expectProblem(response, 422, "VALIDATION_FAILED");
    expect(problem.errors).toEqual([
      { path: "body.ids.1", message: "No task has this id" },
      { path: "body.ids.2", message: "No task has this id" },
      { path: "body.ids.3", message: "Listed more than once" },
    ]);
    expect((await ok("GET", `/api/v1/tasks/${mine.id}`, token)).status).toBe("open");
    expect((await ok("GET", `/api/v1/tasks/${foreign.id}`, other.accessToken)).status).toBe("open");

    const missing = await expectProblem(
      await api("POST", "/api/v1/tasks/bulk", { token, body: { action: "update", ids: [mine.id] } }),
      422,
    );
    expect(missing.errors).toEqual([{ path: "body.changes", message: "update needs the changes to make" }]);
    const badAssignee = await expectProblem(
      await api("POST", "/api/v1/tasks/bulk", {
        token,
        body: { action: "assign", ids: [mine.id], assigneeId: await userIdOf(other) },
      }),
      422,
    );
    expect(badAssignee.errors[0].path).toBe("body.assigneeId");
  });
});

describe("tasks: isolation and access", () => {
  it("another tenant gets 404 on every id and sees nothing in lists or search", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const task = await ok("POST", "/api/v1/tasks", owner.accessToken, { title: "Secret merger", tags: ["secret"] });
    const token = other.accessToken;
    for (const [method, path, body] of [
      ["GET", `/api/v1/tasks/${task.id}`, undefined],
      ["PATCH", `/api/v1/tasks/${task.id}`, { title: "mine now" }],
      ["POST", `/api/v1/tasks/${task.id}/complete`, undefined],
      ["DELETE", `/api/v1/tasks/${task.id}`, undefined],
    ] as const) {
      await expectProblem(await api(method, path, { token, body }), 404, "NOT_FOUND");
    }
    expect(await listIds(token, "/api/v1/tasks")).toEqual([]);
    expect(await listIds(token, "/api/v1/tasks?q=secret")).toEqual([]);
    expect(await listIds(token, "/api/v1/tasks?tag=secret")).toEqual([]);
    expect(await ok("GET", `/api/v1/tasks/${task.id}`, owner.accessToken)).toEqual(task);
  });

  it("API keys need the tasks scopes; viewers read but cannot write", async () => {
    const owner = await signupTenant();
    const reader = await createKey(owner, ["tasks:read"]);
    await expectProblem(
      await api("POST", "/api/v1/tasks", { token: reader.key, body: { title: "x" } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const writer = await createKey(owner, ["tasks:write"]);
    const made = await ok("POST", "/api/v1/tasks", writer.key, { title: "from a key" });
    expect(made.ownerId).toBeNull();
    const viewer = await addMember(owner, "viewer");
    expect(await listIds(viewer.accessToken, "/api/v1/tasks")).toEqual([made.id]);
    await expectProblem(
      await api("POST", "/api/v1/tasks", { token: viewer.accessToken, body: { title: "x" } }),
      403,
      "FORBIDDEN",
    );
  });

  it("under own-record visibility a member sees the tasks they own or are assigned, nothing else", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const token = owner.accessToken;
    const owned = await ok("POST", "/api/v1/tasks", member.accessToken, { title: "member's own" });
    const assigned = await ok("POST", "/api/v1/tasks", token, {
      title: "assigned to member",
      assigneeId: member.userId,
    });
    const hidden = await ok("POST", "/api/v1/tasks", token, { title: "owner's private" });
    await ok("PATCH", "/api/v1/settings/record-visibility", token, { member: "own" });

    expect(await listIds(member.accessToken, "/api/v1/tasks?sort=createdAt")).toEqual([owned.id, assigned.id]);
    await expectProblem(await api("GET", `/api/v1/tasks/${hidden.id}`, { token: member.accessToken }), 404);
    const bulk = await expectProblem(
      await api("POST", "/api/v1/tasks/bulk", {
        token: member.accessToken,
        body: { action: "delete", ids: [owned.id, hidden.id] },
      }),
      422,
    );
    expect(bulk.errors).toEqual([{ path: "body.ids.1", message: "No task has this id" }]);
    expect(await listIds(token, "/api/v1/tasks?sort=createdAt")).toEqual([owned.id, assigned.id, hidden.id]);
  });
});

describe("tasks: bulk at the limit", () => {
  it("changes 1,000 tasks in one call and refuses 1,001", async () => {
    const owner = await signupTenant();
    const db = dbOf(owner.tenantId);
    const now = Date.now();
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: `task_${String(i).padStart(26, "0")}`,
      title: `Task ${i}`,
      createdAt: new Date(now + i),
      updatedAt: new Date(now + i),
    }));
    // One insert per row (D1 binds at most 100 parameters per statement), all in one batch.
    const [first, ...rest] = rows.map((row) => db.insertQuery(tasks, row));
    await db.batch([first!, ...rest]);
    const ids = rows.map((r) => r.id);

    const started = performance.now();
    const updated = await ok(
      "POST",
      "/api/v1/tasks/bulk",
      owner.accessToken,
      { action: "update", ids, changes: { status: "done" } },
      200,
    );
    const elapsed = performance.now() - started;
    expect(updated.results).toHaveLength(1000);
    expect(await listIds(owner.accessToken, "/api/v1/tasks?status=open")).toEqual([]);
    console.log(`bulk update of 1,000 tasks: ${Math.round(elapsed)} ms`);

    const tooMany = await expectProblem(
      await api("POST", "/api/v1/tasks/bulk", {
        token: owner.accessToken,
        body: { action: "delete", ids: [...ids, "task_x"] },
      }),
      422,
    );
    expect(tooMany.errors[0].path).toBe("body.ids");
    const deleted = await ok("POST", "/api/v1/tasks/bulk", owner.accessToken, { action: "delete", ids }, 200);
    expect(deleted.results.every((r: { status: string }) => r.status === "deleted")).toBe(true);
    expect(await listIds(owner.accessToken, "/api/v1/tasks")).toEqual([]);
  });
});
