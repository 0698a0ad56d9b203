import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { anyIso, listIds, ok } from "../tasks/test-support";

const overdue = {
  objectType: "task",
  name: "My overdue",
  query: { view: "overdue", sort: "dueAt", "cf.plan": "pro" },
  columns: ["title", "dueAt"],
};

describe("saved views", () => {
  it("creates, reads, lists, changes and deletes the caller's views, with exact bodies", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const view = await ok("POST", "/api/v1/views", token, overdue);
    expect(view).toEqual({
      id: expect.stringMatching(/^view_[0-9a-z]{26}$/),
      objectType: "task",
      name: "My overdue",
      query: { view: "overdue", sort: "dueAt", "cf.plan": "pro" },
      columns: ["title", "dueAt"],
      createdAt: anyIso,
      updatedAt: view.createdAt,
    });
    const contacts = await ok("POST", "/api/v1/views", token, {
      objectType: "contact",
      name: "Customers",
      query: { lifecycleStage: "customer" },
    });
    expect(contacts.columns).toBeNull();
    expect(await ok("GET", `/api/v1/views/${view.id}`, token)).toEqual(view);
    expect(await ok("GET", "/api/v1/views", token)).toEqual({ data: [view, contacts], nextCursor: null });
    expect(await listIds(token, "/api/v1/views?objectType=contact")).toEqual([contacts.id]);
    const page1 = await ok("GET", "/api/v1/views?limit=1", token);
    expect(page1.data).toEqual([view]);
    expect(await ok("GET", `/api/v1/views?limit=1&cursor=${page1.nextCursor}`, token)).toEqual({
      data: [contacts],
      nextCursor: null,
    });

    const renamed = await ok("PATCH", `/api/v1/views/${view.id}`, token, { name: "Late tasks", columns: null });
    expect(renamed).toEqual({ ...view, name: "Late tasks", columns: null, updatedAt: anyIso });
    expect((await api("DELETE", `/api/v1/views/${view.id}`, { token })).status).toBe(204);
    expect(await listIds(token, "/api/v1/views")).toEqual([contacts.id]);
  });

  it("each person sees only their own views: another person's is a 404 for every operation", async () => {
    const owner = await signupTenant();
    const colleague = await addMember(owner, "admin");
    const mine = await ok("POST", "/api/v1/views", owner.accessToken, overdue);
    const theirs = await ok("POST", "/api/v1/views", colleague.accessToken, { ...overdue, name: "Colleague's" });
    expect(await listIds(owner.accessToken, "/api/v1/views")).toEqual([mine.id]);
    expect(await listIds(colleague.accessToken, "/api/v1/views")).toEqual([theirs.id]);
    const token = colleague.accessToken;
    await expectProblem(await api("GET", `/api/v1/views/${mine.id}`, { token }), 404, "NOT_FOUND");
    await expectProblem(await api("PATCH", `/api/v1/views/${mine.id}`, { token, body: { name: "taken" } }), 404);
    await expectProblem(await api("DELETE", `/api/v1/views/${mine.id}`, { token }), 404);
    expect((await ok("GET", `/api/v1/views/${mine.id}`, owner.accessToken)).name).toBe("My overdue");
  });

  it("viewers keep views too; API keys are refused; page parameters and bad names are 422", async () => {
    const owner = await signupTenant();
    const viewer = await addMember(owner, "viewer");
    expect((await ok("POST", "/api/v1/views", viewer.accessToken, overdue)).name).toBe("My overdue");
    const key = await createKey(owner, ["views:read", "views:write"]);
    await expectProblem(await api("GET", "/api/v1/views", { token: key.key }), 403, "FORBIDDEN");
    await expectProblem(await api("POST", "/api/v1/views", { token: key.key, body: overdue }), 403, "FORBIDDEN");

    const token = owner.accessToken;
    let problem = await expectProblem(
      await api("POST", "/api/v1/views", {
        token,
        body: { ...overdue, query: { status: "open", cursor: "abc", limit: "5" } },
      }),
      422,
    );
    expect(problem.errors).toEqual([
      { path: "body.query.cursor", message: "A view saves filters and sort, not a page position" },
      { path: "body.query.limit", message: "A view saves filters and sort, not a page position" },
    ]);
    problem = await expectProblem(
      await api("POST", "/api/v1/views", {
        token,
        body: { ...overdue, name: "", objectType: "invoice", query: { status: 3 } },
      }),
      422,
    );
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "body.name",
      "body.objectType",
      "body.query.status",
    ]);
    expect(await listIds(token, "/api/v1/views")).toEqual([]);
  });

  it("another tenant gets 404 on every id and an empty list", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const view = await ok("POST", "/api/v1/views", owner.accessToken, overdue);
    const token = other.accessToken;
    await expectProblem(await api("GET", `/api/v1/views/${view.id}`, { token }), 404);
    await expectProblem(await api("PATCH", `/api/v1/views/${view.id}`, { token, body: { name: "x" } }), 404);
    await expectProblem(await api("DELETE", `/api/v1/views/${view.id}`, { token }), 404);
    expect(await ok("GET", "/api/v1/views", token)).toEqual({ data: [], nextCursor: null });
  });
});
