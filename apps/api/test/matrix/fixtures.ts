import { env, SELF } from "cloudflare:test";
import { inject } from "vitest";
import { addMember } from "../people";
import { api, createKey, json, uniqueEmail, type TestTenant } from "../harness";
import { createContact, seedSentMessage } from "../outreach-seed";

/**
 * One entry per path template with parameters: how to make a record in a tenant through the
 * public API, and a valid body for operations on it that take one. The security matrix FAILS
 * for a route whose template is missing here, so every new `{id}` route must add its fixture.
 */
export interface Fixture {
  /**
   * Creates a record owned by `owner`'s tenant; returns its id, or every path parameter by name
   * (plus anything a list query needs, such as the parent record it was made under).
   */
  create(owner: TestTenant): Promise<string | Record<string, string>>;
  /** A valid request body per method for operations on this template, given the record's values. */
  bodies?: Partial<Record<"post" | "put" | "patch", (values: Record<string, string>) => unknown>>;
  /** Only its creator may see it (a personal record): the tenant's other people get 404 too. */
  personal?: true;
  /** Its read is decided at request time (times counted from now): checked for a 200, not compared. */
  decidedNow?: true;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function created(response: Response, what: string): Promise<{ id: string } & Record<string, any>> {
  if (response.status !== 201 && response.status !== 200 && response.status !== 202)
    throw new Error(`fixture ${what}: ${response.status} ${await response.text()}`);
  return json(response);
}

/** POSTs `body` as tenant A's owner and returns the created record. */
async function make(owner: TestTenant, path: string, body: unknown): Promise<{ id: string } & Record<string, unknown>> {
  return created(await api("POST", path, { token: owner.accessToken, body }), path);
}

const unique = () => crypto.randomUUID().slice(0, 8);

/** A pipeline of three stages: path values for the pipeline and its first stage. */
async function pipeline(owner: TestTenant): Promise<Record<string, string>> {
  const made = await make(owner, "/api/v1/pipelines", {
    name: `Fixture ${unique()}`,
    stages: [{ name: "First" }, { name: "Won", isWon: true }, { name: "Lost", isLost: true }],
  });
  const stages = made.stages as { id: string }[];
  return { id: made.id, stageId: stages[0]!.id, stageIds: stages.map((stage) => stage.id).join(",") };
}

/** A deal in a pipeline of its own, with another stage of that pipeline to move it to. */
async function deal(owner: TestTenant): Promise<Record<string, string>> {
  const { id: pipelineId, stageIds } = await pipeline(owner);
  const [first, won] = stageIds!.split(",");
  const made = await make(owner, "/api/v1/deals", {
    name: `Fixture deal ${unique()}`,
    pipelineId,
    stageId: first,
    value: 1000,
  });
  return { id: made.id, targetStageId: won! };
}

const lead = (owner: TestTenant) =>
  createdId(owner, "/api/v1/leads", { firstName: "Fixture", lastName: `Lead ${unique()}`, email: uniqueEmail("lead") });

/** An inactive webhook (so the matrix's own writes send nothing) pointing at the test receiver. */
const webhook = (owner: TestTenant) =>
  createdId(owner, "/api/v1/webhooks", {
    url: `${inject("webhookReceiverUrl")}/hooks/matrix`,
    eventTypes: ["contact.created"],
    active: false,
  });

/** A dev outbox mailbox: the matrix's test sends stay in D1. */
const mailbox = (owner: TestTenant) =>
  createdId(owner, "/api/v1/mailboxes", {
    name: `Fixture ${unique()}`,
    fromAddress: "fixture@sender.test",
    transport: "dev_outbox",
  });

/** Creates a record through its POST route and returns its id. */
async function createdId(owner: TestTenant, path: string, body: unknown): Promise<string> {
  return (await created(await api("POST", path, { token: owner.accessToken, body }), path)).id;
}

/**
 * A pending recommendation: a contact with a task two days overdue, then a refresh (which
 * recommends completing that task); its id from the list filtered by the contact.
 */
async function recommendation(owner: TestTenant): Promise<Record<string, string>> {
  const contactId = await createdId(owner, "/api/v1/contacts", { firstName: "Recommended" });
  await createdId(owner, "/api/v1/tasks", {
    title: "Overdue for the matrix",
    dueAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    recordType: "contact",
    recordId: contactId,
  });
  await created(
    await api("POST", "/api/v1/ai/recommendations/refresh", { token: owner.accessToken }),
    "recommendations refresh",
  );
  const list = await json(
    await api("GET", `/api/v1/ai/recommendations?recordId=${contactId}`, { token: owner.accessToken }),
  );
  const id = list.data?.[0]?.id;
  if (typeof id !== "string") throw new Error(`fixture recommendation: none for ${contactId}`);
  return { id, contactId };
}

/** An uploaded (not started) contacts import: uploads stream a CSV body, not JSON. */
async function uploadedImport(owner: TestTenant): Promise<string> {
  const csv = new TextEncoder().encode(`Email,First name\n${uniqueEmail("imported")},Imported\n`);
  const response = await SELF.fetch("https://crm.test/api/v1/imports?objectType=contact", {
    method: "POST",
    headers: {
      authorization: `Bearer ${owner.accessToken}`,
      "content-type": "text/csv",
      "content-length": String(csv.byteLength),
    },
    body: csv,
  });
  return (await created(response, "import")).import.id;
}

const importMapping = () => ({ mapping: { Email: "email", "First name": "firstName" } });

/** An inactive workflow (so the matrix's own writes start nothing) that waits, then tags. */
const workflow = (owner: TestTenant, extra: Record<string, unknown> = {}) =>
  createdId(owner, "/api/v1/workflows", {
    name: `Fixture workflow ${unique()}`,
    object: "contact",
    trigger: { type: "record.created" },
    actions: [
      { type: "wait", mode: "duration", duration: { amount: 3, unit: "days" } },
      { type: "add_tag", tag: "fixture" },
    ],
    ...extra,
  });

/** A workflow and a contact it can run on. */
async function workflowWithRecord(owner: TestTenant): Promise<Record<string, string>> {
  const recordId = await createdId(owner, "/api/v1/contacts", { firstName: "Workflow", lastName: unique() });
  return { id: await workflow(owner), recordId };
}

/** Polls a JSON read as tenant A's owner until `done` (background work through the real queue). */
async function until<T>(owner: TestTenant, path: string, done: (body: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const body = await json<T>(await api("GET", path, { token: owner.accessToken }));
    if (done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`fixture: ${path} did not settle`);
}

/** A manual run left waiting (so its state holds still while the matrix compares it). */
async function waitingExecution(owner: TestTenant): Promise<Record<string, string>> {
  const { id, recordId } = await workflowWithRecord(owner);
  const run = await created(
    await api("POST", `/api/v1/workflows/${id}/run`, { token: owner.accessToken, body: { recordId } }),
    "workflow run",
  );
  await until<{ status: string }>(owner, `/api/v1/workflows/${id}/executions/${run.id}`, (e) => e.status === "waiting");
  return { id: id!, executionId: run.id };
}

/** A notification for the owner, from a workflow's notify action run by hand. */
async function notification(owner: TestTenant): Promise<string> {
  const me = await json(await api("GET", "/api/v1/me", { token: owner.accessToken }));
  const recordId = await createdId(owner, "/api/v1/contacts", { firstName: "Notify", lastName: unique() });
  const id = await workflow(owner, {
    actions: [{ type: "notify", recipient: { kind: "user", userId: me.user.id }, message: `Fixture ${unique()}` }],
  });
  await created(
    await api("POST", `/api/v1/workflows/${id}/run`, { token: owner.accessToken, body: { recordId } }),
    "run",
  );
  const page = await until<{ data: { id: string; workflowId: string }[] }>(
    owner,
    "/api/v1/notifications?limit=200",
    (p) => p.data.some((n) => n.workflowId === id),
  );
  return page.data.find((n) => n.workflowId === id)!.id;
}

/** A one-step sequence and a contact of the tenant (not enrolled). */
async function sequenceWithContact(owner: TestTenant): Promise<Record<string, string>> {
  const id = await createdId(owner, "/api/v1/sequences", {
    name: `Fixture sequence ${unique()}`,
    steps: [{ variants: [{ key: "A", weight: 100, subject: "Hi {{contact.firstName|there}}", body: "Fixture" }] }],
  });
  const contactId = await createdId(owner, "/api/v1/contacts", { firstName: "Sequenced" });
  return { id, contactId };
}

/** An active enrollment (of a fresh sequence and contact). */
async function enrollment(owner: TestTenant): Promise<string> {
  const { id, contactId } = await sequenceWithContact(owner);
  const result = await created(
    await api("POST", `/api/v1/sequences/${id}/enrollments`, {
      token: owner.accessToken,
      body: { contactIds: [contactId] },
    }),
    "enrollment",
  );
  return result.data[0].enrollmentId;
}

/**
 * A draft campaign (with a contact for test sends). Its sequence is written to D1 directly:
 * the sequences API belongs to another part of the outreach work.
 */
async function campaign(owner: TestTenant): Promise<Record<string, string>> {
  const sequenceId = `seq_matrix${unique()}`;
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `insert into sequences (id, tenant_id, name, send_window, exit_rules, created_by, created_at, updated_at)
       values (?, ?, 'Matrix', '{"days":[1,2,3,4,5],"start":"09:00","end":"17:00"}', '{}', 'us_matrix', ?, ?)`,
    ).bind(sequenceId, owner.tenantId, now, now),
    env.DB.prepare(
      `insert into sequence_steps (id, tenant_id, sequence_id, position, variants, created_at, updated_at)
       values (?, ?, ?, 1, '[{"key":"A","weight":100,"subject":"Hi","body":"Hello"}]', ?, ?)`,
    ).bind(`sqs_matrix${unique()}`, owner.tenantId, sequenceId, now, now),
  ]);
  const contactId = await createdId(owner, "/api/v1/contacts", { firstName: "Fixture", lastName: unique() });
  const id = await createdId(owner, "/api/v1/campaigns", { name: `Fixture ${unique()}`, sequenceId, audience: {} });
  return { id, contactId };
}

/**
 * A model of `kind` trained in the tenant on 12 contacts of its own (half tagged and "won"),
 * and one more contact to score: path values for the model and that contact.
 */
async function trainedModel(owner: TestTenant, kind: "lead_score" | "churn"): Promise<Record<string, string>> {
  for (let i = 0; i < 12; i++)
    await make(owner, "/api/v1/contacts", {
      firstName: `Trainer ${unique()}`,
      tags: i % 2 ? ["ai-trainer", "won-before"] : [],
      leadStatus: i % 2 ? "won" : "open",
    });
  const model = await make(owner, "/api/v1/ai/models", {
    kind,
    label: { source: "field", field: "leadStatus", positiveValues: ["won"] },
    fields: ["tagCount"],
  });
  const contactId = await createdId(owner, "/api/v1/contacts", { firstName: "Scored", tags: ["ai-trainer"] });
  return { id: model.id, modelId: model.id, contactId };
}

/** A decision of the pipeline agent (suggest mode, so nothing changes) on a deal of its own. */
async function agentDecision(owner: TestTenant): Promise<string> {
  const { id: dealId } = await deal(owner);
  const settings = await api("PATCH", "/api/v1/ai/settings", {
    token: owner.accessToken,
    body: { agent: { mode: "suggest" } },
  });
  if (settings.status !== 200) throw new Error(`fixture agent mode: ${settings.status} ${await settings.text()}`);
  const run = await created(
    await api("POST", "/api/v1/ai/agent/run", { token: owner.accessToken, body: { dealId } }),
    "agent run",
  );
  return run.decisions[0].id;
}

export const fixtures: Record<string, Fixture> = {
  "/api/v1/imports/{id}": { create: uploadedImport },
  "/api/v1/imports/{id}/start": { create: uploadedImport, bodies: { post: importMapping } },
  "/api/v1/imports/{id}/preview": { create: uploadedImport, bodies: { post: importMapping } },
  "/api/v1/api-keys/{id}": {
    create: async (owner) => (await createKey(owner, ["contacts:read"], { name: "fixture key" })).id,
  },
  "/api/v1/audit-log/{id}": {
    // Any change writes an entry; creating a key is the cheapest change.
    create: async (owner) => {
      const key = await createKey(owner, ["contacts:read"], { name: "audited" });
      const page = await json(await api("GET", `/api/v1/audit-log?entityId=${key.id}`, { token: owner.accessToken }));
      return page.data[0].id;
    },
  },
  "/api/v1/invitations/{id}": {
    create: async (owner) => {
      const response = await api("POST", "/api/v1/invitations", {
        token: owner.accessToken,
        body: { email: uniqueEmail("invitee"), role: "member" },
      });
      return (await created(response, "invitation")).id;
    },
  },
  "/api/v1/members/{id}": {
    create: async (owner) => (await addMember(owner, "member")).userId,
    bodies: { patch: () => ({ role: "viewer" }) },
  },
  "/api/v1/contacts/{id}": {
    create: (owner) => createdId(owner, "/api/v1/contacts", { firstName: "Fixture" }),
    bodies: { patch: () => ({ title: "Fixture title" }) },
  },
  "/api/v1/contacts/{id}/lifecycle-history": {
    create: (owner) => createdId(owner, "/api/v1/contacts", { firstName: "Staged", lifecycleStage: "lead" }),
  },
  "/api/v1/companies/{id}": {
    create: (owner) => createdId(owner, "/api/v1/companies", { name: "Fixture Co" }),
    bodies: { patch: () => ({ industry: "Fixtures" }) },
  },
  "/api/v1/companies/{id}/contacts": {
    create: (owner) => createdId(owner, "/api/v1/companies", { name: "With contacts" }),
  },
  "/api/v1/companies/{id}/deals": {
    create: (owner) => createdId(owner, "/api/v1/companies", { name: "With deals" }),
  },
  "/api/v1/tasks/{id}": {
    create: (owner) => createdId(owner, "/api/v1/tasks", { title: "Fixture task" }),
    bodies: { patch: () => ({ priority: "high" }) },
  },
  "/api/v1/notes/{id}": {
    create: async (owner) => {
      const recordId = await createdId(owner, "/api/v1/contacts", { firstName: "Noted" });
      const id = await createdId(owner, "/api/v1/notes", { recordType: "contact", recordId, body: "Fixture note" });
      return { id, recordType: "contact", recordId };
    },
    bodies: { patch: () => ({ body: "Edited note" }) },
  },
  "/api/v1/activities/{id}": {
    create: async (owner) => {
      const recordId = await createdId(owner, "/api/v1/contacts", { firstName: "Called" });
      const id = await createdId(owner, "/api/v1/activities", {
        type: "call",
        recordType: "contact",
        recordId,
        subject: "Fixture call",
      });
      return { id, recordType: "contact", recordId };
    },
    bodies: { patch: () => ({ outcome: "Reached voicemail" }) },
  },
  "/api/v1/custom-fields/{id}": {
    // Keys are unique per object: each fixture gets its own.
    create: (owner) =>
      createdId(owner, "/api/v1/custom-fields", {
        objectType: "task",
        key: `fixture_${crypto.randomUUID().slice(0, 8)}`,
        label: "Fixture",
        type: "text",
      }),
    bodies: { patch: () => ({ label: "Renamed fixture" }) },
  },
  // Saved views are personal: the tenant's other people get 404 for the owner's view, by design.
  "/api/v1/views/{id}": {
    create: (owner) =>
      createdId(owner, "/api/v1/views", { objectType: "task", name: "Fixture view", query: { view: "overdue" } }),
    bodies: { patch: () => ({ name: "Renamed view" }) },
    personal: true,
  },
  "/api/v1/pipelines/{id}": {
    create: pipeline,
    bodies: { patch: () => ({ name: `Renamed ${unique()}` }) },
  },
  "/api/v1/pipelines/{id}/stages": {
    create: pipeline,
    bodies: { post: () => ({ name: "Another stage" }) },
  },
  "/api/v1/pipelines/{id}/stages/reorder": {
    create: pipeline,
    bodies: { post: (values) => ({ stageIds: (values.stageIds ?? "").split(",").reverse() }) },
  },
  "/api/v1/pipelines/{id}/stages/{stageId}": {
    create: pipeline,
    bodies: { patch: () => ({ name: "Renamed stage" }) },
  },
  "/api/v1/deals/{id}": {
    create: deal,
    bodies: { patch: () => ({ name: "Updated by the matrix" }) },
  },
  "/api/v1/deals/{id}/move-stage": {
    create: deal,
    bodies: { post: (values) => ({ stageId: values.targetStageId }) },
  },
  "/api/v1/leads/{id}": {
    create: lead,
    bodies: { patch: () => ({ title: "Updated by the matrix" }) },
  },
  "/api/v1/leads/{id}/assign": {
    create: lead,
    // Unassigning is valid in any tenant, so another tenant's attempt reaches the lookup (404).
    bodies: { post: () => ({ ownerId: null }) },
  },
  "/api/v1/leads/{id}/convert": {
    create: lead,
    bodies: { post: () => ({}) },
  },
  "/api/v1/mailboxes/{id}": {
    create: mailbox,
    bodies: { patch: () => ({ name: "Changed by the matrix" }) },
  },
  "/api/v1/mailboxes/{id}/test": {
    create: mailbox,
    bodies: { post: () => ({ to: "matrix@example.com" }) },
  },
  "/api/v1/suppressions/{id}": {
    create: (owner) => createdId(owner, "/api/v1/suppressions", { address: uniqueEmail("suppressed") }),
  },
  "/api/v1/outreach/messages/{id}": {
    // Messages are written by the send pipeline; this one is the rows a sent step leaves.
    create: async (owner) => {
      const email = uniqueEmail("outreach");
      const contact = await createContact(owner, email);
      return (await seedSentMessage(owner.tenantId, { id: contact.id, email })).messageId;
    },
  },
  "/api/v1/webhooks/{id}": {
    create: webhook,
    bodies: { patch: () => ({ description: "Changed by the matrix" }) },
  },
  "/api/v1/workflows/{id}": {
    create: (owner) => workflow(owner),
    bodies: { patch: () => ({ description: "Changed by the matrix" }) },
  },
  "/api/v1/workflows/{id}/run": {
    create: workflowWithRecord,
    bodies: { post: (values) => ({ recordId: values.recordId }) },
  },
  "/api/v1/workflows/{id}/executions/{executionId}": { create: waitingExecution },
  "/api/v1/notifications/{id}": { create: notification, personal: true },
  "/api/v1/sequences/{id}": {
    create: sequenceWithContact,
    bodies: {
      patch: () => ({ description: "Changed by the matrix" }),
      put: () => ({
        name: "Replaced by the matrix",
        steps: [{ variants: [{ key: "A", weight: 100, subject: "S", body: "B" }] }],
      }),
    },
  },
  "/api/v1/sequences/{id}/preview": {
    create: sequenceWithContact,
    bodies: { post: (values) => ({ contactId: values.contactId }) },
  },
  "/api/v1/sequences/{id}/enrollments": {
    create: sequenceWithContact,
    bodies: { post: (values) => ({ contactIds: [values.contactId] }) },
  },
  "/api/v1/sequences/{id}/enrollments/preview-filter": {
    create: sequenceWithContact,
    bodies: { post: () => ({ filters: { tag: "fixture" } }) },
  },
  "/api/v1/sequences/{id}/enrollments/by-filter": {
    create: sequenceWithContact,
    bodies: { post: () => ({ filters: { tag: "fixture" } }) },
  },
  "/api/v1/enrollments/{id}": { create: enrollment },
  "/api/v1/enrollments/{id}/pause": { create: enrollment, bodies: { post: () => ({}) } },
  "/api/v1/enrollments/{id}/resume": { create: enrollment, bodies: { post: () => ({}) } },
  "/api/v1/enrollments/{id}/unenroll": { create: enrollment, bodies: { post: () => ({}) } },
  "/api/v1/campaigns/{id}": {
    create: campaign,
    bodies: { patch: () => ({ description: "Changed by the matrix" }) },
  },
  "/api/v1/campaigns/{id}/test-send": {
    create: campaign,
    bodies: { post: (values) => ({ contactId: values.contactId, to: "matrix@example.com" }) },
  },
  "/api/v1/ai/models/{id}": { create: (owner) => trainedModel(owner, "lead_score") },
  "/api/v1/ai/agent/decisions/{id}": { create: agentDecision },
  "/api/v1/ai/rescore/{id}": {
    create: async (owner) => (await make(owner, "/api/v1/ai/rescore", { kind: "lead_score" })).id,
  },
  // Scored once by its owner: a read of a never-scored record computes a fresh score (its
  // scoredAt the time of that read) and stores nothing, so "unchanged" needs a stored one.
  "/api/v1/contacts/{id}/score": {
    create: async (owner) => {
      const id = await createdId(owner, "/api/v1/contacts", { firstName: "Scored" });
      await make(owner, `/api/v1/contacts/${id}/score`, undefined);
      return id;
    },
  },
  "/api/v1/leads/{id}/score": {
    create: async (owner) => {
      const id = await lead(owner);
      await make(owner, `/api/v1/leads/${id}/score`, undefined);
      return id;
    },
  },
  "/api/v1/contacts/{id}/score/override": {
    create: (owner) => createdId(owner, "/api/v1/contacts", { firstName: "Overridden" }),
    bodies: { post: () => ({ score: 80, reason: "Checked by the matrix" }) },
  },
  "/api/v1/leads/{id}/score/override": {
    create: lead,
    bodies: { post: () => ({ score: 80, reason: "Checked by the matrix" }) },
  },
  "/api/v1/contacts/{id}/churn-risk": {
    create: async (owner) => ({ id: (await trainedModel(owner, "churn")).contactId! }),
  },
  "/api/v1/ai/next-best-action/{recordType}/{id}": {
    decidedNow: true,
    create: async (owner) => ({
      recordType: "contact",
      id: await createdId(owner, "/api/v1/contacts", { firstName: "Decided" }),
    }),
  },
  "/api/v1/ai/outputs/{id}": { create: generatedContent },
  "/api/v1/ai/outputs/{id}/rating": {
    create: generatedContent,
    bodies: { post: () => ({ stars: 4, comment: "Checked by the matrix" }) },
  },
  "/api/v1/ai/recommendations/{id}": {
    create: recommendation,
    bodies: { patch: () => ({ status: "viewed" }) },
  },
  "/api/v1/webhooks/{id}/deliveries/{deliveryId}": {
    // A test event makes a delivery (tried once, at the test receiver).
    create: async (owner) => {
      const id = await webhook(owner);
      const delivery = await created(
        await api("POST", `/api/v1/webhooks/${id}/test`, { token: owner.accessToken }),
        "webhook test event",
      );
      return { id, deliveryId: delivery.id };
    },
  },
};

/** Content generated for a contact: stored as an AI output (about the contact), which can be rated. */
async function generatedContent(owner: TestTenant): Promise<Record<string, string>> {
  const contactId = await createdId(owner, "/api/v1/contacts", { firstName: "Written to" });
  const generated = await created(
    await api("POST", "/api/v1/ai/content", {
      token: owner.accessToken,
      body: { channel: "email", contactId, template: { body: "Hi {{contact.firstName|there}}" } },
    }),
    "generated content",
  );
  return { id: generated.outputId as string, contactId };
}

/**
 * Lists that answer only with query parameters (the record they belong to): what to send.
 * Without an entry, such a list is only checked for refusals, not for a 2xx.
 */
export const listQueries: Record<
  string,
  (shared: (template: string) => Promise<Record<string, string>>) => Promise<Record<string, string>>
> = {
  "/api/v1/notes": async (shared) => {
    const { recordType, recordId } = await shared("/api/v1/notes/{id}");
    return { recordType: recordType!, recordId: recordId! };
  },
  "/api/v1/imports/template": async () => ({ objectType: "contact" }),
  "/api/v1/ai/outputs": async (shared) => {
    const { contactId } = await shared("/api/v1/ai/outputs/{id}");
    return { subjectType: "contact", subjectId: contactId! };
  },
  "/api/v1/activities": async (shared) => {
    const { recordType, recordId } = await shared("/api/v1/activities/{id}");
    return { recordType: recordType!, recordId: recordId! };
  },
};

/**
 * The fixture for a template: its own entry, or else the entry of the record it hangs off
 * (`/things/{id}/history` uses `/things/{id}`), since the same record answers both.
 */
export function fixtureTemplate(template: string): string | undefined {
  if (fixtures[template]) return template;
  return Object.keys(fixtures)
    .filter((parent) => template.startsWith(`${parent}/`))
    .sort((x, y) => y.length - x.length)[0];
}

export function findFixture(template: string): Fixture | undefined {
  const key = fixtureTemplate(template);
  return key ? fixtures[key] : undefined;
}

export function fixtureFor(template: string): Fixture {
  const fixture = findFixture(template);
  if (!fixture) {
    throw new Error(
      `No fixture for ${template}: add one to test/matrix/fixtures.ts that creates a record through the API, ` +
        "so the security matrix can check that another tenant gets 404 for it.",
    );
  }
  return fixture;
}

/** A valid body for `method` on `template` (from the template's own entry only) for these values. */
export function fixtureBody(template: string, method: string, values: Record<string, string>): unknown {
  return fixtures[template]?.bodies?.[method as "post" | "put" | "patch"]?.(values);
}

/** The path values for a fixture's record. */
export async function createFixture(template: string, owner: TestTenant): Promise<Record<string, string>> {
  const made = await fixtureFor(template).create(owner);
  return typeof made === "string" ? { id: made } : made;
}
