import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { createCompanyVia, createContactVia, getJson, listIds, setRecordVisibility } from "./test-support";

const sorted = (ids: string[]) => [...ids].sort();

describe("contacts: record visibility", () => {
  it("with member visibility 'own', a member sees only their contacts in lists, search and reads; others' are 404", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const ownersContact = await createContactVia(owner.accessToken, {
      firstName: "Zebulon",
      lastName: "Owner",
      lifecycleStage: "lead",
    });
    const assigned = await createContactVia(owner.accessToken, {
      firstName: "Zebulon",
      lastName: "Assigned",
      ownerId: member.userId,
    });
    const membersOwn = await createContactVia(member.accessToken, { firstName: "Zebulon", lastName: "Mine" });
    expect(membersOwn.ownerId).toBe(member.userId);

    // Default: everyone sees everything.
    expect(sorted(await listIds(member.accessToken, "/api/v1/contacts"))).toEqual(
      sorted([ownersContact.id, assigned.id, membersOwn.id]),
    );

    await setRecordVisibility(owner, { member: "own" });
    const mine = sorted([assigned.id, membersOwn.id]);
    expect(sorted(await listIds(member.accessToken, "/api/v1/contacts"))).toEqual(mine);
    expect(sorted(await listIds(member.accessToken, "/api/v1/contacts?q=zebulon"))).toEqual(mine);
    expect(await listIds(member.accessToken, "/api/v1/contacts?lifecycleStage=lead")).toEqual([]);
    expect(await listIds(member.accessToken, "/api/v1/contacts?q=owner")).toEqual([]);
    expect((await getJson(member.accessToken, `/api/v1/contacts/${assigned.id}`)).id).toBe(assigned.id);

    const token = member.accessToken;
    const id = ownersContact.id;
    await expectProblem(await api("GET", `/api/v1/contacts/${id}`, { token }), 404, "NOT_FOUND");
    await expectProblem(
      await api("PATCH", `/api/v1/contacts/${id}`, { token, body: { title: "Hijacked" } }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(await api("DELETE", `/api/v1/contacts/${id}`, { token }), 404, "NOT_FOUND");
    await expectProblem(await api("GET", `/api/v1/contacts/${id}/lifecycle-history`, { token }), 404, "NOT_FOUND");
    const bulk = await expectProblem(
      await api("POST", "/api/v1/contacts/bulk", { token, body: { action: "delete", ids: [membersOwn.id, id] } }),
      422,
    );
    expect(bulk.errors).toEqual([{ path: "body.ids.1", message: "No contact has this id" }]);
    const merge = await expectProblem(
      await api("POST", "/api/v1/contacts/merge", { token, body: { survivorId: membersOwn.id, mergedId: id } }),
      422,
    );
    expect(merge.errors).toEqual([{ path: "body.mergedId", message: "No contact has this id" }]);

    // The owner still sees everything, and nothing the member tried changed the owner's contact.
    expect(sorted(await listIds(owner.accessToken, "/api/v1/contacts"))).toEqual(
      sorted([ownersContact.id, assigned.id, membersOwn.id]),
    );
    expect(await getJson(owner.accessToken, `/api/v1/contacts/${id}`)).toEqual(ownersContact);
  });
});

describe("contacts: another tenant", () => {
  it("sees nothing of the first tenant's contacts: 404 on ids, absent from lists and search, bulk and merge refuse them", async () => {
    const first = await signupTenant("First");
    const second = await signupTenant("Second");
    const company = await createCompanyVia(first.accessToken, { name: "Quokka Holdings" });
    const contact = await createContactVia(first.accessToken, {
      firstName: "Quentin",
      emails: [{ address: "quentin@quokka.example" }],
      companyId: company.id,
      lifecycleStage: "lead",
      tags: ["secret"],
    });
    const own = await createContactVia(second.accessToken, { firstName: "Other" });
    const secondKey = await createKey(second, ["contacts:read", "contacts:write"]);

    for (const token of [second.accessToken, secondKey.key]) {
      await expectProblem(await api("GET", `/api/v1/contacts/${contact.id}`, { token }), 404, "NOT_FOUND");
      await expectProblem(
        await api("PATCH", `/api/v1/contacts/${contact.id}`, { token, body: { firstName: "Mine" } }),
        404,
        "NOT_FOUND",
      );
      await expectProblem(await api("DELETE", `/api/v1/contacts/${contact.id}`, { token }), 404, "NOT_FOUND");
      await expectProblem(
        await api("GET", `/api/v1/contacts/${contact.id}/lifecycle-history`, { token }),
        404,
        "NOT_FOUND",
      );
      expect(await listIds(token, "/api/v1/contacts")).toEqual([own.id]);
      expect(await listIds(token, "/api/v1/contacts?q=quentin")).toEqual([]);
      expect(await listIds(token, "/api/v1/contacts?q=quokka")).toEqual([]);
      expect(await listIds(token, "/api/v1/contacts?tag=secret")).toEqual([]);
      expect(await listIds(token, `/api/v1/contacts?companyId=${company.id}`)).toEqual([]);

      for (const action of ["update", "delete", "assign", "tag"]) {
        const body = { action, ids: [own.id, contact.id], changes: { source: "stolen" }, ownerId: null, tags: ["x"] };
        if (action !== "update") delete (body as Record<string, unknown>).changes;
        const problem = await expectProblem(
          await api("POST", "/api/v1/contacts/bulk", { token, body }),
          422,
          "VALIDATION_FAILED",
        );
        expect(problem.errors, action).toEqual([{ path: "body.ids.1", message: "No contact has this id" }]);
      }
      const merge = await expectProblem(
        await api("POST", "/api/v1/contacts/merge", { token, body: { survivorId: own.id, mergedId: contact.id } }),
        422,
      );
      expect(merge.errors).toEqual([{ path: "body.mergedId", message: "No contact has this id" }]);
      const linked = await expectProblem(
        await api("POST", "/api/v1/contacts", { token, body: { firstName: "X", companyId: company.id } }),
        422,
      );
      expect(linked.errors).toEqual([
        { path: "body.companyId", message: "No company in this organization has this id" },
      ]);
    }

    // The same primary email is free in the second tenant: duplicates are per tenant.
    await createContactVia(second.accessToken, { firstName: "Q", emails: [{ address: "quentin@quokka.example" }] });
    // And the first tenant's contact is untouched.
    expect(await getJson(first.accessToken, `/api/v1/contacts/${contact.id}`)).toEqual(contact);
    expect(await listIds(first.accessToken, "/api/v1/contacts?q=quokka")).toEqual([contact.id]);
  });
});
