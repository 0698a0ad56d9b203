import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDeal, moveDeal, pipelineNamed, stageNamed } from "../src/routes/deals/test-support";
import { api, json, signupTenant, type TestTenant } from "./harness";
import { userIdOf } from "./people";

interface EventRow {
  type: string;
  entity_id: string;
  data: string;
  previous: string | null;
  actor_type: string;
  actor_id: string;
  request_id: string | null;
}

/** The tenant's domain events (the outbox rows), oldest first. */
async function events(tenantId: string): Promise<EventRow[]> {
  const { results } = await env.DB.prepare("select * from domain_events where tenant_id = ? order by created_at, id")
    .bind(tenantId)
    .all<EventRow>();
  return results;
}

async function eventsSince(tenantId: string, seen: number) {
  return (await events(tenantId)).slice(seen);
}

const typesOf = (rows: EventRow[]) => rows.map((r) => `${r.type} ${r.entity_id}`).sort();

async function send(owner: TestTenant, method: string, path: string, body?: unknown) {
  const response = await api(method, path, { token: owner.accessToken, ...(body === undefined ? {} : { body }) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return { response, body: response.status === 204 ? null : await json(response) };
}

describe("domain events", () => {
  it("a create, update and delete each record one event in the write's batch, with the record, the diff and who did it", async () => {
    const owner = await signupTenant("Events");
    const userId = await userIdOf(owner);
    const seen = (await events(owner.tenantId)).length;
    const { response, body: contact } = await send(owner, "POST", "/api/v1/contacts", { firstName: "Ada" });
    const { body: updated } = await send(owner, "PATCH", `/api/v1/contacts/${contact.id}`, { title: "Countess" });
    await send(owner, "DELETE", `/api/v1/contacts/${contact.id}`);
    const rows = await eventsSince(owner.tenantId, seen);
    expect(rows.map((r) => r.type)).toEqual(["contact.created", "contact.updated", "contact.deleted"]);
    expect(JSON.parse(rows[0]!.data)).toEqual(contact);
    expect(rows[0]).toMatchObject({
      actor_type: "user",
      actor_id: userId,
      request_id: response.headers.get("x-request-id"),
    });
    expect(JSON.parse(rows[1]!.data)).toEqual(updated);
    expect(JSON.parse(rows[1]!.previous!)).toEqual({ title: null });
    expect(JSON.parse(rows[2]!.data)).toEqual(updated);
    expect(rows.every((r) => r.entity_id === contact.id)).toBe(true);

    // A write that is refused records nothing.
    await send(owner, "POST", "/api/v1/contacts", {
      firstName: "Dup",
      emails: [{ address: "dup@example.com", primary: true }],
    });
    const before = (await events(owner.tenantId)).length;
    const duplicate = await api("POST", "/api/v1/contacts", {
      token: owner.accessToken,
      body: { firstName: "Dup again", emails: [{ address: "dup@example.com", primary: true }] },
    });
    expect(duplicate.status).toBe(409);
    expect(await events(owner.tenantId)).toHaveLength(before);
  });

  it("bulk operations record one event per record", async () => {
    const owner = await signupTenant("Bulk events");
    const ids: string[] = [];
    for (const firstName of ["A", "B", "C"])
      ids.push((await send(owner, "POST", "/api/v1/contacts", { firstName })).body.id);
    const seen = (await events(owner.tenantId)).length;
    await send(owner, "POST", "/api/v1/contacts/bulk", { action: "tag", ids, tags: ["vip"] });
    await send(owner, "POST", "/api/v1/contacts/bulk", { action: "delete", ids: ids.slice(0, 2) });
    expect(typesOf(await eventsSince(owner.tenantId, seen))).toEqual(
      [...ids.map((id) => `contact.updated ${id}`), ...ids.slice(0, 2).map((id) => `contact.deleted ${id}`)].sort(),
    );
  });

  it("moving a deal records deal.stage_changed, and deal.won / deal.lost on entering a closing stage", async () => {
    const owner = await signupTenant("Deal events");
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const deal = await createDeal(owner.accessToken, { name: "Big one", value: 5000 });
    const seen = (await events(owner.tenantId)).length;
    const contacted = stageNamed(sales, "Contacted");
    await moveDeal(owner.accessToken, deal.id, { stageId: contacted.id });
    await moveDeal(owner.accessToken, deal.id, { stageId: stageNamed(sales, "Won").id });
    await moveDeal(owner.accessToken, deal.id, { stageId: stageNamed(sales, "Lost").id, lostReason: "Budget" });
    const rows = await eventsSince(owner.tenantId, seen);
    expect(rows.map((r) => r.type).sort()).toEqual(
      [
        ["deal.updated", "deal.stage_changed"],
        ["deal.updated", "deal.stage_changed", "deal.won"],
        ["deal.updated", "deal.stage_changed", "deal.lost"],
      ]
        .flat()
        .sort(),
    );
    const won = rows.find((r) => r.type === "deal.won")!;
    expect(JSON.parse(won.data)).toMatchObject({ id: deal.id, status: "won" });
    expect(JSON.parse(won.previous!)).toEqual({ status: "active" });
    const firstMove = rows.find((r) => r.type === "deal.stage_changed")!;
    expect(JSON.parse(firstMove.previous!)).toEqual({ pipelineId: sales.id, stageId: deal.stageId });
  });

  it("converting a lead records lead.converted with the records it created", async () => {
    const owner = await signupTenant("Lead events");
    const { body: lead } = await send(owner, "POST", "/api/v1/leads", {
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@cobol.example",
      companyName: "Cobol Inc",
    });
    const seen = (await events(owner.tenantId)).length;
    const { body: converted } = await send(owner, "POST", `/api/v1/leads/${lead.id}/convert`, {});
    const types = (await eventsSince(owner.tenantId, seen)).map((r) => r.type);
    expect(types.filter((t) => !t.startsWith("activity."))).toEqual(
      expect.arrayContaining(["lead.updated", "lead.converted", "contact.created", "company.created"]),
    );
    expect(types.filter((t) => t === "lead.converted")).toHaveLength(1);
    expect(types.filter((t) => t === "activity.created").length).toBeGreaterThan(0);
    const row = (await eventsSince(owner.tenantId, seen)).find((r) => r.type === "lead.converted")!;
    expect(JSON.parse(row.data)).toMatchObject({
      id: lead.id,
      convertedContactId: converted.contact?.id ?? expect.any(String),
    });
  });

  it("tasks, notes, activities and companies record theirs too; settings changes record none", async () => {
    const owner = await signupTenant("More events");
    const seen = (await events(owner.tenantId)).length;
    const { body: company } = await send(owner, "POST", "/api/v1/companies", { name: "Acme" });
    const { body: task } = await send(owner, "POST", "/api/v1/tasks", { title: "Call Acme" });
    const { body: note } = await send(owner, "POST", "/api/v1/notes", {
      recordType: "company",
      recordId: company.id,
      body: "Met them",
    });
    const { body: activity } = await send(owner, "POST", "/api/v1/activities", {
      type: "call",
      recordType: "company",
      recordId: company.id,
      subject: "Intro call",
    });
    await send(owner, "POST", "/api/v1/pipelines", { name: "Not an event", stages: [{ name: "One" }] });
    expect(typesOf(await eventsSince(owner.tenantId, seen))).toEqual(
      [
        `company.created ${company.id}`,
        `task.created ${task.id}`,
        `note.created ${note.id}`,
        `activity.created ${activity.id}`,
      ].sort(),
    );
  });
});
