import { describe, expect, it } from "vitest";
import { api, expectProblem, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import { anyIso, insertCompany, insertContact, listIds, ok } from "../tasks/test-support";

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

describe("activities", () => {
  it("logs a call on a record and returns exactly what GET and the record's list return", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const company = await insertCompany(owner.tenantId);
    const occurredAt = at(30);
    const call = await ok("POST", "/api/v1/activities", owner.accessToken, {
      type: "call",
      recordType: "company",
      recordId: company.id,
      subject: "Discovery call",
      body: "Talked about the rollout",
      occurredAt,
      durationMinutes: 25,
      outcome: "Interested",
    });
    expect(call).toEqual({
      id: expect.stringMatching(/^act_[0-9a-z]{26}$/),
      type: "call",
      recordType: "company",
      recordId: company.id,
      subject: "Discovery call",
      body: "Talked about the rollout",
      occurredAt,
      durationMinutes: 25,
      outcome: "Interested",
      actorId: ownerId,
      createdAt: anyIso,
      updatedAt: call.createdAt,
    });
    expect(await ok("GET", `/api/v1/activities/${call.id}`, owner.accessToken)).toEqual(call);
    expect(await ok("GET", `/api/v1/activities?recordType=company&recordId=${company.id}`, owner.accessToken)).toEqual({
      data: [call],
      nextCursor: null,
    });
  });

  it("lists latest first by when it happened, filters by type, and defaults occurredAt to now", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const contact = await insertContact(owner.tenantId);
    const on = { recordType: "contact", recordId: contact.id };
    const old = await ok("POST", "/api/v1/activities", token, {
      ...on,
      type: "meeting",
      subject: "Kick-off",
      occurredAt: at(600),
    });
    const recent = await ok("POST", "/api/v1/activities", token, {
      ...on,
      type: "call",
      subject: "Follow-up",
      occurredAt: at(5),
    });
    const middle = await ok("POST", "/api/v1/activities", token, {
      ...on,
      type: "call",
      subject: "Check-in",
      occurredAt: at(60),
    });
    const before = Date.now();
    const now = await ok("POST", "/api/v1/activities", token, { ...on, type: "email", subject: "Sent the deck" });
    expect(Date.parse(now.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
    const base = `/api/v1/activities?recordType=contact&recordId=${contact.id}`;
    expect(await listIds(token, base)).toEqual([now.id, recent.id, middle.id, old.id]);
    expect(await listIds(token, `${base}&type=call`)).toEqual([recent.id, middle.id]);
    const page1 = await ok("GET", `${base}&limit=3`, token);
    expect(page1.data.map((a: { id: string }) => a.id)).toEqual([now.id, recent.id, middle.id]);
    const page2 = await ok("GET", `${base}&limit=3&cursor=${page1.nextCursor}`, token);
    expect(page2).toEqual({ data: [old], nextCursor: null });
  });

  it("changes and deletes by whoever logged it or an admin; other members get 403; bad input is 422 with paths", async () => {
    const owner = await signupTenant();
    const logger = await addMember(owner, "member");
    const colleague = await addMember(owner, "member");
    const contact = await insertContact(owner.tenantId);
    const activity = await ok("POST", "/api/v1/activities", logger.accessToken, {
      type: "meeting",
      recordType: "contact",
      recordId: contact.id,
      subject: "Demo",
    });
    await expectProblem(
      await api("PATCH", `/api/v1/activities/${activity.id}`, { token: colleague.accessToken, body: { outcome: "x" } }),
      403,
    );
    const changed = await ok("PATCH", `/api/v1/activities/${activity.id}`, logger.accessToken, {
      outcome: "Won",
      durationMinutes: 45,
    });
    expect(changed).toEqual({ ...activity, outcome: "Won", durationMinutes: 45, updatedAt: anyIso });
    const problem = await expectProblem(
      await api("PATCH", `/api/v1/activities/${activity.id}`, {
        token: logger.accessToken,
        body: { type: "fax", durationMinutes: -1 },
      }),
      422,
    );
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.durationMinutes", "body.type"]);
    const unknown = await expectProblem(
      await api("POST", "/api/v1/activities", {
        token: owner.accessToken,
        body: { type: "call", recordType: "lead", recordId: "lead_01jc9x7d1q8m3v5n2k4p6r8t0w", subject: "x" },
      }),
      422,
    );
    expect(unknown.errors).toEqual([{ path: "body.recordId", message: "No lead has this id" }]);
    await expectProblem(
      await api("DELETE", `/api/v1/activities/${activity.id}`, { token: colleague.accessToken }),
      403,
    );
    expect((await api("DELETE", `/api/v1/activities/${activity.id}`, { token: owner.accessToken })).status).toBe(204);
    await expectProblem(await api("GET", `/api/v1/activities/${activity.id}`, { token: owner.accessToken }), 404);
  });

  it("another tenant gets 404 on the activity and an empty list for the record", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const contact = await insertContact(owner.tenantId);
    const activity = await ok("POST", "/api/v1/activities", owner.accessToken, {
      type: "call",
      recordType: "contact",
      recordId: contact.id,
      subject: "Private",
    });
    const token = other.accessToken;
    await expectProblem(await api("GET", `/api/v1/activities/${activity.id}`, { token }), 404);
    await expectProblem(
      await api("PATCH", `/api/v1/activities/${activity.id}`, { token, body: { subject: "x" } }),
      404,
    );
    await expectProblem(await api("DELETE", `/api/v1/activities/${activity.id}`, { token }), 404);
    expect(await ok("GET", `/api/v1/activities?recordType=contact&recordId=${contact.id}`, token)).toEqual({
      data: [],
      nextCursor: null,
    });
    expect((await ok("GET", `/api/v1/activities/${activity.id}`, owner.accessToken)).subject).toBe("Private");
  });
});
