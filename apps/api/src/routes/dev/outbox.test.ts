import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../app";
import worker from "../../worker";
import { api, expectProblem, json, uniqueEmail } from "../../../test/harness";

/** Runs the real consumer on hand-made `email.send` jobs, as the queue would deliver them. */
async function deliver(mails: { to: string; subject: string }[]) {
  const batch = createMessageBatch(
    "crm-jobs",
    mails.map((mail, i) => ({
      id: `test-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body: {
        type: "email.send",
        tenantId: null,
        kind: "test",
        text: `body ${i}`,
        dedupeKey: `test:${crypto.randomUUID()}`,
        ...mail,
      },
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env as never);
  await waitOnExecutionContext(ctx);
  return getQueueResult(batch, ctx);
}

describe("GET /api/v1/dev/outbox", () => {
  it("lists delivered mail newest first, filtered by recipient, with a cursor", async () => {
    const to = uniqueEmail("outbox");
    const other = uniqueEmail("other");
    for (const subject of ["first", "second", "third"]) {
      const result = await deliver([
        { to, subject },
        { to: other, subject },
      ]);
      expect(result.explicitAcks.length).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const first = await json(await api("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(to.toUpperCase())}&limit=2`));
    expect(first.data.map((m: { subject: string }) => m.subject)).toEqual(["third", "second"]);
    expect(
      first.data.every((m: { to: string; transport: string }) => m.to === to && m.transport === "dev-outbox"),
    ).toBe(true);
    const second = await json(
      await api("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(to)}&limit=2&cursor=${first.nextCursor}`),
    );
    expect(second.data.map((m: { subject: string }) => m.subject)).toEqual(["first"]);
    expect(second.nextCursor).toBeNull();

    // Unfiltered, both recipients appear, newest first.
    const all = await json(await api("GET", "/api/v1/dev/outbox?limit=200"));
    const mine = all.data.filter((m: { to: string }) => m.to === to || m.to === other);
    expect(mine.map((m: { subject: string }) => m.subject)).toEqual([
      "third",
      "third",
      "second",
      "second",
      "first",
      "first",
    ]);
  });

  it("does not exist outside development and test (404, even for bad input)", async () => {
    const app = createApp();
    const call = (environment: string, query = "") =>
      app.fetch(
        new Request(`https://crm.test/api/v1/dev/outbox${query}`),
        { ...env, ENVIRONMENT: environment } as never,
        createExecutionContext(),
      );
    expect((await call("test")).status).toBe(200);
    expect((await call("development")).status).toBe(200);
    await expectProblem(await call("production"), 404, "NOT_FOUND");
    await expectProblem(await call("production", "?limit=nope"), 404, "NOT_FOUND");
    await expectProblem(await call("test", "?limit=nope"), 422, "VALIDATION_FAILED");
  });
});
