import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { domainEventTypes, webhookUrlProblem } from "@crm/services";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createApp } from "../../app";
import { api, createKey, expectProblem, json, signupTenant, type TestTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { createWebhook, deliveriesOf, eventually, receiver } from "../../../test/webhooks";

const anyIso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** The API as deployed to production (ENVIRONMENT=production), called in-process. */
async function inProduction(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`https://crm.test${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { ...env, ENVIRONMENT: "production" },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

async function get(owner: TestTenant, path: string) {
  const response = await api("GET", path, { token: owner.accessToken });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

describe("webhook subscriptions", () => {
  it("creates a webhook with a server-made secret shown once; reads, lists, updates and deletes it", async () => {
    const owner = await signupTenant("Subscriber");
    const created = await createWebhook(owner, {
      url: "https://hooks.example.com/crm",
      eventTypes: ["deal.won", "contact.created", "deal.won"],
      description: "  Sales Slack  ",
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^wh_[0-9a-z]{26}$/),
      url: "https://hooks.example.com/crm",
      description: "Sales Slack",
      eventTypes: ["deal.won", "contact.created"],
      active: true,
      consecutiveFailures: 0,
      disabledAt: null,
      disabledReason: null,
      previousSecretExpiresAt: null,
      createdBy: expect.stringMatching(/^us_/),
      createdAt: anyIso,
      updatedAt: created.createdAt,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    // 32 random bytes, usable by the reference library as is.
    expect(atob(created.secret.slice("whsec_".length))).toHaveLength(32);
    expect(() => new Webhook(created.secret)).not.toThrow();

    const { secret, ...shown } = created;
    expect(await get(owner, `/api/v1/webhooks/${created.id}`)).toEqual(shown);
    const page = await get(owner, "/api/v1/webhooks");
    expect(page).toEqual({ data: [shown], nextCursor: null });
    const audit = await get(owner, `/api/v1/audit-log?entityId=${created.id}`);
    expect(audit.data).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(secret);

    const updated = await json(
      await api("PATCH", `/api/v1/webhooks/${created.id}`, {
        token: owner.accessToken,
        body: { eventTypes: ["*", "deal.lost"], active: false, description: null },
      }),
    );
    expect(updated).toEqual({ ...shown, eventTypes: ["*"], active: false, description: null, updatedAt: anyIso });

    expect((await api("DELETE", `/api/v1/webhooks/${created.id}`, { token: owner.accessToken })).status).toBe(204);
    await expectProblem(
      await api("GET", `/api/v1/webhooks/${created.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    expect((await get(owner, "/api/v1/webhooks")).data).toEqual([]);
  });

  it("refuses bad input with 422 at the field at fault", async () => {
    const owner = await signupTenant("Invalid hooks");
    let problem = await expectProblem(
      await api("POST", "/api/v1/webhooks", {
        token: owner.accessToken,
        body: { url: "not a url", eventTypes: ["contact.created", "contact.exploded"] },
      }),
      422,
      "VALIDATION_FAILED",
    );
    expect(problem.errors).toEqual([
      { path: "body.url", message: "Must be an absolute URL" },
      { path: "body.eventTypes.1", message: 'Unknown event type "contact.exploded"' },
    ]);
    problem = await expectProblem(
      await api("POST", "/api/v1/webhooks", {
        token: owner.accessToken,
        body: { url: "ftp://x.example.com", eventTypes: [], extra: 1 },
      }),
      422,
    );
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body", "body.eventTypes"]);
    const hook = await createWebhook(owner, { url: "https://hooks.example.com/a", eventTypes: ["*"] });
    problem = await expectProblem(
      await api("PATCH", `/api/v1/webhooks/${hook.id}`, {
        token: owner.accessToken,
        body: { url: "https://user:pw@hooks.example.com/", eventTypes: ["deal.*"] },
      }),
      422,
    );
    expect(problem.errors).toEqual([
      { path: "body.url", message: "Must not contain credentials" },
      { path: "body.eventTypes.0", message: 'Unknown event type "deal.*"' },
    ]);
    expect((await get(owner, `/api/v1/webhooks/${hook.id}`)).url).toBe("https://hooks.example.com/a");
  });

  it("outside development refuses http and private, loopback, link-local, CGNAT and metadata targets at body.url", async () => {
    const owner = await signupTenant("Production hooks");
    const refused = {
      "http://hooks.example.com/": "Must use https",
      "https://10.0.0.1/": "Must not point to a private address",
      "https://127.0.0.1/": "Must not point to a private address",
      "https://2130706433/": "Must not point to a private address", // 127.0.0.1 in decimal
      "https://0x7f.1/": "Must not point to a private address", // 127.0.0.1 in hex
      "https://0300.0250.0.1/": "Must not point to a private address", // 192.168.0.1 in octal
      "https://169.254.169.254/latest/meta-data": "Must not point to a private address",
      "https://100.64.0.1/": "Must not point to a private address",
      "https://172.16.5.4/": "Must not point to a private address",
      "https://224.0.0.1/": "Must not point to a private address",
      "https://[::1]/": "Must not point to a private address",
      "https://[::ffff:10.0.0.1]/": "Must not point to a private address",
      "https://[fd00:ec2::254]/": "Must not point to a private address",
      "https://[fe80::1]/": "Must not point to a private address",
      "https://localhost/": "Must not point to an internal host name",
      "https://api.localhost./": "Must not point to an internal host name",
      "https://metadata.google.internal/": "Must not point to an internal host name",
      "https://intranet/": "Must not point to an internal host name",
    };
    for (const [url, message] of Object.entries(refused)) {
      const problem = await expectProblem(
        await inProduction("POST", "/api/v1/webhooks", owner.accessToken, { url, eventTypes: ["*"] }),
        422,
        "VALIDATION_FAILED",
      );
      expect(problem.errors, url).toEqual([{ path: "body.url", message }]);
    }
    for (const url of ["https://hooks.example.com/crm", "https://93.184.215.14/hook", "https://[2606:4700::1111]/"]) {
      expect(webhookUrlProblem(url, { allowPrivateTargets: false }), url).toBeNull();
    }
    const ok = await inProduction("POST", "/api/v1/webhooks", owner.accessToken, {
      url: "https://hooks.example.com/crm",
      eventTypes: ["*"],
    });
    expect(ok.status, await ok.clone().text()).toBe(201);
    const hook = await json(ok);
    const problem = await expectProblem(
      await inProduction("PATCH", `/api/v1/webhooks/${hook.id}`, owner.accessToken, { url: "https://10.1.2.3/" }),
      422,
    );
    expect(problem.errors).toEqual([{ path: "body.url", message: "Must not point to a private address" }]);
    // In development (and tests) local receivers are allowed.
    expect(webhookUrlProblem("http://127.0.0.1:8787/hook", { allowPrivateTargets: true })).toBeNull();
  });

  it("publishes the known event types and accepts each of them", async () => {
    const owner = await signupTenant("All types");
    const hook = await createWebhook(owner, {
      url: "https://hooks.example.com/all",
      eventTypes: [...domainEventTypes],
    });
    expect(hook.eventTypes).toEqual([...domainEventTypes]);
    expect(domainEventTypes).toEqual(
      expect.arrayContaining([
        "contact.created",
        "company.updated",
        "lead.deleted",
        "deal.stage_changed",
        "deal.won",
        "deal.lost",
        "lead.converted",
        "task.created",
        "note.updated",
        "activity.deleted",
      ]),
    );
  });

  it("sends a test event and redelivers it on request, with the same webhook-id, each attempt logged", async () => {
    const owner = await signupTenant("Test event");
    const target = await receiver([{ status: 200, body: "got it" }]);
    const hook = await createWebhook(owner, { url: target.url, eventTypes: ["deal.won"], active: false });
    const response = await api("POST", `/api/v1/webhooks/${hook.id}/test`, { token: owner.accessToken });
    expect(response.status, await response.clone().text()).toBe(202);
    const queued = await json(response);
    expect(queued).toMatchObject({
      id: expect.stringMatching(/^whmsg_/),
      webhookId: hook.id,
      eventType: "webhook.test",
      status: "pending",
      attemptCount: 0,
      attempts: [],
      payload: {
        type: "webhook.test",
        timestamp: anyIso,
        data: { webhookId: hook.id, eventId: queued.eventId, message: "A test event sent from the API" },
      },
    });
    const first = await eventually(target.received, (r) => r.length === 1);
    expect(first).toHaveLength(1);
    expect(new Webhook(hook.secret).verify(first[0]!.body, first[0]!.headers as never)).toEqual(queued.payload);

    const done = await eventually(
      () => get(owner, `/api/v1/webhooks/${hook.id}/deliveries/${queued.id}`),
      (d) => d.status === "succeeded",
    );
    expect(done.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        manual: true,
        statusCode: 200,
        outcome: "succeeded",
        responseExcerpt: "got it",
      }),
    ]);

    const again = await api("POST", `/api/v1/webhooks/${hook.id}/deliveries/${queued.id}/redeliver`, {
      token: owner.accessToken,
    });
    expect(again.status, await again.clone().text()).toBe(202);
    expect(await json(again)).toMatchObject({ id: queued.id, status: "pending", attemptCount: 1 });
    const both = await eventually(target.received, (r) => r.length === 2);
    expect(both.map((r) => r.headers["webhook-id"])).toEqual([queued.id, queued.id]);
    const log = await eventually(
      () => deliveriesOf(owner, hook.id),
      (page) => page.data[0]?.attempts.length === 2 && page.data[0].status === "succeeded",
    );
    expect(log.data[0].attempts.map((a: { attempt: number; manual: boolean }) => [a.attempt, a.manual])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect((await get(owner, `/api/v1/webhooks/${hook.id}/deliveries?status=failed`)).data).toEqual([]);
  });

  it("keys need webhooks:read to read and webhooks:write to change; members are refused", async () => {
    const owner = await signupTenant("Scoped hooks");
    const reader = await createKey(owner, ["webhooks:read"]);
    const hook = await createWebhook(owner, { url: "https://hooks.example.com/s", eventTypes: ["*"] });
    expect((await api("GET", `/api/v1/webhooks/${hook.id}`, { token: reader.key })).status).toBe(200);
    await expectProblem(
      await api("PATCH", `/api/v1/webhooks/${hook.id}`, { token: reader.key, body: { active: false } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const writer = await createKey(owner, ["webhooks:write"]);
    const rotated = await api("POST", `/api/v1/webhooks/${hook.id}/rotate-secret`, { token: writer.key });
    expect(rotated.status).toBe(200);
    // Webhooks are integration settings: admins and owners only.
    const member = await addMember(owner, "member");
    await expectProblem(await api("GET", "/api/v1/webhooks", { token: member.accessToken }), 403, "FORBIDDEN");
  });
});

describe("webhook tenant isolation", () => {
  it("another tenant cannot see, change, delete, rotate, test or redeliver the first tenant's webhooks (404)", async () => {
    const a = await signupTenant("Owner A");
    const b = await signupTenant("Owner B");
    const target = await receiver();
    const hook = await createWebhook(a, { url: target.url, eventTypes: ["*"] });
    const delivery = await json(await api("POST", `/api/v1/webhooks/${hook.id}/test`, { token: a.accessToken }));
    await eventually(target.received, (r) => r.length === 1);
    const before = await get(a, `/api/v1/webhooks/${hook.id}`);
    const bKey = await createKey(b, ["webhooks:read", "webhooks:write"]);
    for (const token of [b.accessToken, bKey.key]) {
      for (const [method, path, body] of [
        ["GET", `/api/v1/webhooks/${hook.id}`],
        ["PATCH", `/api/v1/webhooks/${hook.id}`, { active: false }],
        ["DELETE", `/api/v1/webhooks/${hook.id}`],
        ["POST", `/api/v1/webhooks/${hook.id}/rotate-secret`],
        ["POST", `/api/v1/webhooks/${hook.id}/test`],
        ["GET", `/api/v1/webhooks/${hook.id}/deliveries`],
        ["GET", `/api/v1/webhooks/${hook.id}/deliveries/${delivery.id}`],
        ["POST", `/api/v1/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`],
      ] as [string, string, unknown?][]) {
        await expectProblem(await api(method, path, { token, ...(body ? { body } : {}) }), 404, "NOT_FOUND");
      }
      expect((await json(await api("GET", "/api/v1/webhooks", { token }))).data).toEqual([]);
    }
    expect(await get(a, `/api/v1/webhooks/${hook.id}`)).toEqual(before);
    // Nothing was sent on B's behalf: still the one test event.
    expect(await target.received()).toHaveLength(1);
  });
});
