import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import { anyIso, insertContact, listIds, ok, setRecordVisibility, walk } from "../tasks/test-support";

describe("notes", () => {
  it("writes a note on a record with the caller as author; GET and the record's list return it exactly", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const contact = await insertContact(owner.tenantId);
    const note = await ok("POST", "/api/v1/notes", owner.accessToken, {
      recordType: "contact",
      recordId: contact.id,
      body: "  Budget approved for Q1. ",
    });
    expect(note).toEqual({
      id: expect.stringMatching(/^note_[0-9a-z]{26}$/),
      recordType: "contact",
      recordId: contact.id,
      body: "Budget approved for Q1.",
      authorId: ownerId,
      createdAt: anyIso,
      updatedAt: note.createdAt,
    });
    expect(await ok("GET", `/api/v1/notes/${note.id}`, owner.accessToken)).toEqual(note);
    expect(await ok("GET", `/api/v1/notes?recordType=contact&recordId=${contact.id}`, owner.accessToken)).toEqual({
      data: [note],
      nextCursor: null,
    });
  });

  it("lists a record's notes newest first, page by page", async () => {
    const owner = await signupTenant();
    const contact = await insertContact(owner.tenantId);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await ok("POST", "/api/v1/notes", owner.accessToken, {
            recordType: "contact",
            recordId: contact.id,
            body: `note ${i}`,
          })
        ).id,
      );
    }
    const pages = await walk(owner.accessToken, `/api/v1/notes?recordType=contact&recordId=${contact.id}`, 2);
    expect(pages.map((n) => n.id)).toEqual([...ids].reverse());
  });

  it("the author, owners and admins change or delete a note; other members get 403", async () => {
    const owner = await signupTenant();
    const author = await addMember(owner, "member");
    const colleague = await addMember(owner, "member");
    const admin = await addMember(owner, "admin");
    const contact = await insertContact(owner.tenantId);
    const note = await ok("POST", "/api/v1/notes", author.accessToken, {
      recordType: "contact",
      recordId: contact.id,
      body: "first draft",
    });

    await expectProblem(
      await api("PATCH", `/api/v1/notes/${note.id}`, { token: colleague.accessToken, body: { body: "hijacked" } }),
      403,
      "FORBIDDEN",
    );
    await expectProblem(
      await api("DELETE", `/api/v1/notes/${note.id}`, { token: colleague.accessToken }),
      403,
      "FORBIDDEN",
    );
    const edited = await ok("PATCH", `/api/v1/notes/${note.id}`, author.accessToken, { body: "second draft" });
    expect(edited).toEqual({ ...note, body: "second draft", updatedAt: anyIso });
    expect(
      (await ok("PATCH", `/api/v1/notes/${note.id}`, admin.accessToken, { body: "edited by admin" })).authorId,
    ).toBe(author.userId);
    expect((await api("DELETE", `/api/v1/notes/${note.id}`, { token: owner.accessToken })).status).toBe(204);
    await expectProblem(await api("GET", `/api/v1/notes/${note.id}`, { token: owner.accessToken }), 404);
  });

  it("rejects an unknown record (422 at body.recordId) and an empty body; an unknown record lists no notes", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    let problem = await expectProblem(
      await api("POST", "/api/v1/notes", {
        token,
        body: { recordType: "deal", recordId: "deal_01jc9x7d1q8m3v5n2k4p6r8t0w", body: "x" },
      }),
      422,
    );
    expect(problem.errors).toEqual([{ path: "body.recordId", message: "No deal has this id" }]);
    const contact = await insertContact(owner.tenantId);
    problem = await expectProblem(
      await api("POST", "/api/v1/notes", { token, body: { recordType: "contact", recordId: contact.id, body: "   " } }),
      422,
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["body.body"]);
    problem = await expectProblem(await api("GET", "/api/v1/notes", { token }), 422);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["query.recordId", "query.recordType"]);
    expect(await ok("GET", "/api/v1/notes?recordType=contact&recordId=ct_01jc9x7d1q8m3v5n2k4p6r8t0w", token)).toEqual({
      data: [],
      nextCursor: null,
    });
  });

  it("makes the record findable by the note's words, and stops when the note goes", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const task = await ok("POST", "/api/v1/tasks", token, { title: "Renewal" });
    const other = await ok("POST", "/api/v1/tasks", token, { title: "Unrelated" });
    expect(await listIds(token, "/api/v1/tasks?q=kilimanjaro")).toEqual([]);
    const note = await ok("POST", "/api/v1/notes", token, {
      recordType: "task",
      recordId: task.id,
      body: "Client is climbing Kilimanjaro in March",
    });
    expect(await listIds(token, "/api/v1/tasks?q=kilimanjaro")).toEqual([task.id]);
    // The task's own words stay searchable beside the note's.
    expect(await listIds(token, "/api/v1/tasks?q=renewal")).toEqual([task.id]);
    // Changing the task (its own search text) keeps the note's words in.
    await ok("PATCH", `/api/v1/tasks/${task.id}`, token, { title: "Renewal call" });
    expect(await listIds(token, "/api/v1/tasks?q=kilimanjaro%20call")).toEqual([task.id]);
    await ok("PATCH", `/api/v1/notes/${note.id}`, token, { body: "Client is sailing to Zanzibar" });
    expect(await listIds(token, "/api/v1/tasks?q=kilimanjaro")).toEqual([]);
    expect(await listIds(token, "/api/v1/tasks?q=zanzibar")).toEqual([task.id]);
    expect((await api("DELETE", `/api/v1/notes/${note.id}`, { token })).status).toBe(204);
    expect(await listIds(token, "/api/v1/tasks?q=zanzibar")).toEqual([]);
    expect(await listIds(token, "/api/v1/tasks?q=unrelated")).toEqual([other.id]);
  });

  it("makes a contact findable through the contacts list by the note's words", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const contact = await ok("POST", "/api/v1/contacts", token, { firstName: "Grace", lastName: "Hopper" });
    await ok("POST", "/api/v1/contacts", token, { firstName: "Alan", lastName: "Turing" });
    await ok("POST", "/api/v1/notes", token, {
      recordType: "contact",
      recordId: contact.id,
      body: "Met at the Lisbon summit",
    });
    expect(await listIds(token, "/api/v1/contacts?q=lisbon")).toEqual([contact.id]);
    expect(await listIds(token, "/api/v1/contacts?q=hopper%20lisbon")).toEqual([contact.id]);
    const other = await signupTenant("Other");
    expect(await listIds(other.accessToken, "/api/v1/contacts?q=lisbon")).toEqual([]);
  });

  it("another tenant gets 404 on the note, an empty list for the record, and cannot write on the record", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const contact = await insertContact(owner.tenantId);
    const note = await ok("POST", "/api/v1/notes", owner.accessToken, {
      recordType: "contact",
      recordId: contact.id,
      body: "private",
    });
    const token = other.accessToken;
    await expectProblem(await api("GET", `/api/v1/notes/${note.id}`, { token }), 404);
    await expectProblem(await api("PATCH", `/api/v1/notes/${note.id}`, { token, body: { body: "x" } }), 404);
    await expectProblem(await api("DELETE", `/api/v1/notes/${note.id}`, { token }), 404);
    expect(await ok("GET", `/api/v1/notes?recordType=contact&recordId=${contact.id}`, token)).toEqual({
      data: [],
      nextCursor: null,
    });
    const problem = await expectProblem(
      await api("POST", "/api/v1/notes", { token, body: { recordType: "contact", recordId: contact.id, body: "x" } }),
      422,
    );
    expect(problem.errors[0].path).toBe("body.recordId");
    expect((await ok("GET", `/api/v1/notes/${note.id}`, owner.accessToken)).body).toBe("private");
  });

  it("a record hidden by own-record visibility hides its notes too", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const ownerId = await userIdOf(owner);
    const contact = await insertContact(owner.tenantId, { ownerId });
    const note = await ok("POST", "/api/v1/notes", owner.accessToken, {
      recordType: "contact",
      recordId: contact.id,
      body: "owner only",
    });
    expect((await ok("GET", `/api/v1/notes/${note.id}`, member.accessToken)).id).toBe(note.id);
    await setRecordVisibility(owner.tenantId, { member: "own" });
    await expectProblem(await api("GET", `/api/v1/notes/${note.id}`, { token: member.accessToken }), 404);
    expect(await listIds(member.accessToken, `/api/v1/notes?recordType=contact&recordId=${contact.id}`)).toEqual([]);
  });

  it("API keys need the notes scopes", async () => {
    const owner = await signupTenant();
    const contact = await insertContact(owner.tenantId);
    const reader = await createKey(owner, ["notes:read"]);
    await expectProblem(
      await api("POST", "/api/v1/notes", {
        token: reader.key,
        body: { recordType: "contact", recordId: contact.id, body: "x" },
      }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const writer = await createKey(owner, ["notes:write", "notes:read"]);
    const note = await ok("POST", "/api/v1/notes", writer.key, {
      recordType: "contact",
      recordId: contact.id,
      body: "synced",
    });
    expect(note.authorId).toBe(writer.id);
    expect(await listIds(reader.key, `/api/v1/notes?recordType=contact&recordId=${contact.id}`)).toEqual([note.id]);
  });
});
