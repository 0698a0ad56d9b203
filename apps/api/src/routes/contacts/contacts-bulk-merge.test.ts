import { describe, expect, it } from "vitest";
import { api, expectProblem, json, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import { createCompanyVia, createContactVia, createDealVia, getJson, listIds } from "./test-support";

function bulk(token: string, body: Record<string, unknown>) {
  return api("POST", "/api/v1/contacts/bulk", { token, body });
}

async function contactsOf(token: string, ids: string[]) {
  return Promise.all(ids.map((id) => getJson(token, `/api/v1/contacts/${id}`)));
}

describe("POST /api/v1/contacts/bulk", () => {
  it("updates, assigns, tags, untags and deletes with a result per id", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const member = await addMember(owner, "member");
    const ids: string[] = [];
    for (const name of ["A", "B", "C"])
      ids.push((await createContactVia(token, { firstName: name, tags: ["old"] })).id);

    const updated = await bulk(token, {
      action: "update",
      ids,
      changes: { lifecycleStage: "sql", source: "import", doNotContact: true },
    });
    expect(updated.status).toBe(200);
    expect(await json(updated)).toEqual({ results: ids.map((id) => ({ id, status: "updated" })) });
    for (const contact of await contactsOf(token, ids)) {
      expect(contact).toMatchObject({
        lifecycleStage: "sql",
        source: "import",
        doNotContact: true,
        lifecycleStageChangedAt: contact.updatedAt,
      });
      const history = await getJson(token, `/api/v1/contacts/${contact.id}/lifecycle-history`);
      expect(history.data.map((h: { toStage: string }) => h.toStage)).toEqual(["sql"]);
    }

    expect((await bulk(token, { action: "assign", ids: [ids[0], ids[1]], ownerId: member.userId })).status).toBe(200);
    expect((await contactsOf(token, ids)).map((c) => c.ownerId)).toEqual([
      member.userId,
      member.userId,
      await userIdOf(owner),
    ]);
    expect(await listIds(token, `/api/v1/contacts?ownerId=${member.userId}&sort=createdAt`)).toEqual([ids[0], ids[1]]);

    expect((await bulk(token, { action: "tag", ids, tags: ["VIP", "old"] })).status).toBe(200);
    expect((await contactsOf(token, ids)).map((c) => c.tags)).toEqual([
      ["old", "vip"],
      ["old", "vip"],
      ["old", "vip"],
    ]);
    expect((await bulk(token, { action: "untag", ids: [ids[2]], tags: ["old"] })).status).toBe(200);
    expect((await contactsOf(token, ids)).map((c) => c.tags)).toEqual([["old", "vip"], ["old", "vip"], ["vip"]]);
    expect(await listIds(token, "/api/v1/contacts?tag=old&sort=createdAt")).toEqual([ids[0], ids[1]]);

    const deleted = await bulk(token, { action: "delete", ids: [ids[2], ids[0]] });
    expect(await json(deleted)).toEqual({
      results: [
        { id: ids[2], status: "deleted" },
        { id: ids[0], status: "deleted" },
      ],
    });
    expect(await listIds(token, "/api/v1/contacts")).toEqual([ids[1]]);
    expect(await listIds(token, "/api/v1/contacts?tag=vip")).toEqual([ids[1]]);
    expect(await listIds(token, "/api/v1/contacts?q=A")).toEqual([]);
    await expectProblem(await api("GET", `/api/v1/contacts/${ids[0]}`, { token }), 404, "NOT_FOUND");
  });

  it("is all or nothing: one unknown or repeated id, or one invalid change, is a 422 and nothing changes", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const a = await createContactVia(token, { firstName: "A", lifecycleStage: "lead" });
    const b = await createContactVia(token, { firstName: "B", lifecycleStage: "lead" });
    const before = await contactsOf(token, [a.id, b.id]);

    const unknown = await expectProblem(
      await bulk(token, {
        action: "update",
        ids: [a.id, "ct_01jc9x7d1q8m3v5n2k4p6r8t0w", b.id, "bogus"],
        changes: { lifecycleStage: "customer" },
      }),
      422,
      "VALIDATION_FAILED",
    );
    expect(unknown.errors).toEqual([
      { path: "body.ids.1", message: "No contact has this id" },
      { path: "body.ids.3", message: "No contact has this id" },
    ]);
    const repeated = await expectProblem(await bulk(token, { action: "delete", ids: [a.id, b.id, a.id] }), 422);
    expect(repeated.errors).toEqual([{ path: "body.ids.2", message: "Listed more than once" }]);
    const badChange = await expectProblem(
      await bulk(token, { action: "update", ids: [a.id, b.id], changes: { timeZone: "Nowhere/Land" } }),
      422,
    );
    expect(badChange.errors).toEqual([
      { path: "body.changes.timeZone", message: "Must be an IANA time zone such as Europe/Paris" },
    ]);
    const badOwner = await expectProblem(
      await bulk(token, { action: "assign", ids: [a.id], ownerId: "us_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
      422,
    );
    expect(badOwner.errors).toEqual([
      { path: "body.ownerId", message: "No member of this organization has this user id" },
    ]);
    const noChanges = await expectProblem(await bulk(token, { action: "update", ids: [a.id] }), 422);
    expect(noChanges.errors).toEqual([{ path: "body.changes", message: "Give at least one field to change" }]);
    const notBulkable = await expectProblem(
      await bulk(token, { action: "update", ids: [a.id], changes: { emails: [] } }),
      422,
    );
    expect(notBulkable.errors[0].path).toBe("body.changes");
    const tooMany = await expectProblem(
      await bulk(token, { action: "delete", ids: Array.from({ length: 1001 }, (_, i) => `ct_${i}`) }),
      422,
    );
    expect(tooMany.errors[0].path).toBe("body.ids");

    expect(await contactsOf(token, [a.id, b.id])).toEqual(before);
  });
});

describe("POST /api/v1/contacts/merge", () => {
  it("moves deals, tasks, notes and history to the survivor, unites fields and tags, deletes the duplicate", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const company = await createCompanyVia(token, { name: "Analytical Engines" });
    const survivor = await createContactVia(token, {
      firstName: "Ada",
      emails: [{ address: "ada@example.com" }],
      tags: ["vip"],
      customFields: {},
    });
    const duplicate = await createContactVia(token, {
      firstName: "Augusta",
      lastName: "King",
      emails: [{ address: "augusta@example.com", label: "home" }],
      phones: [{ number: "+44 20 7946 0018" }],
      title: "Countess",
      companyId: company.id,
      tags: ["emea", "vip"],
      lifecycleStage: "lead",
      doNotContact: true,
      socialLinks: { x: "https://x.example/augusta" },
    });
    const deal = await createDealVia(token, { name: "Engine order", contactId: duplicate.id });
    const taskResponse = await api("POST", "/api/v1/tasks", {
      token,
      body: { title: "Call Augusta", recordType: "contact", recordId: duplicate.id },
    });
    expect(taskResponse.status, await taskResponse.clone().text()).toBe(201);
    const task = await json(taskResponse);
    const noteResponse = await api("POST", "/api/v1/notes", {
      token,
      body: { recordType: "contact", recordId: duplicate.id, body: "Met at the Royal Society" },
    });
    expect(noteResponse.status, await noteResponse.clone().text()).toBe(201);
    const note = await json(noteResponse);

    const response = await api("POST", "/api/v1/contacts/merge", {
      token,
      body: { survivorId: survivor.id, mergedId: duplicate.id },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const merged = await json(response);
    expect(merged).toEqual({
      ...survivor,
      lastName: "King",
      emails: [
        { address: "ada@example.com", primary: true, label: null },
        { address: "augusta@example.com", primary: false, label: "home" },
      ],
      phones: [{ number: "+44 20 7946 0018", label: null }],
      title: "Countess",
      companyId: company.id,
      lifecycleStage: "lead",
      lifecycleStageChangedAt: duplicate.lifecycleStageChangedAt,
      tags: ["vip", "emea"],
      doNotContact: true,
      socialLinks: { x: "https://x.example/augusta" },
      updatedAt: merged.updatedAt,
    });
    expect(await getJson(token, `/api/v1/contacts/${survivor.id}`)).toEqual(merged);
    await expectProblem(await api("GET", `/api/v1/contacts/${duplicate.id}`, { token }), 404, "NOT_FOUND");

    expect((await getJson(token, `/api/v1/deals/${deal.id}`)).contactId).toBe(survivor.id);
    expect((await getJson(token, `/api/v1/tasks/${task.id}`)).recordId).toBe(survivor.id);
    expect((await getJson(token, `/api/v1/notes/${note.id}`)).recordId).toBe(survivor.id);
    const history = await getJson(token, `/api/v1/contacts/${survivor.id}/lifecycle-history`);
    expect(history.data.map((h: { contactId: string; toStage: string }) => [h.contactId, h.toStage])).toEqual([
      [survivor.id, "lead"],
    ]);

    // Search follows: the duplicate's words now find the survivor, and the duplicate is gone from the index.
    expect(await listIds(token, "/api/v1/contacts?q=augusta")).toEqual([survivor.id]);
    expect(await listIds(token, "/api/v1/contacts?q=countess")).toEqual([survivor.id]);
    expect(await listIds(token, "/api/v1/contacts?tag=emea")).toEqual([survivor.id]);

    const survivorAudit = await getJson(token, `/api/v1/audit-log?entity=contact&entityId=${survivor.id}`);
    expect(survivorAudit.data.map((e: { action: string }) => e.action)).toEqual(["update", "create"]);
    const duplicateAudit = await getJson(token, `/api/v1/audit-log?entity=contact&entityId=${duplicate.id}`);
    expect(duplicateAudit.data.map((e: { action: string }) => e.action)).toEqual(["delete", "create"]);
  });

  it("refuses to merge a contact into itself or with an unknown id (422), changing nothing", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const a = await createContactVia(token, { firstName: "A" });
    const self = await expectProblem(
      await api("POST", "/api/v1/contacts/merge", { token, body: { survivorId: a.id, mergedId: a.id } }),
      422,
    );
    expect(self.errors).toEqual([{ path: "body.mergedId", message: "Must differ from survivorId" }]);
    const unknown = await expectProblem(
      await api("POST", "/api/v1/contacts/merge", {
        token,
        body: { survivorId: a.id, mergedId: "ct_01jc9x7d1q8m3v5n2k4p6r8t0w" },
      }),
      422,
    );
    expect(unknown.errors).toEqual([{ path: "body.mergedId", message: "No contact has this id" }]);
    expect(await getJson(token, `/api/v1/contacts/${a.id}`)).toEqual(a);
  });
});
