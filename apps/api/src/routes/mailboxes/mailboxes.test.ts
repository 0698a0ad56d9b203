import { env } from "cloudflare:test";
import { createDb, mailboxes, sequences, tenantDb } from "@crm/db";
import { mailTransportFor, MailTransportError, openSecret } from "@crm/services";
import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant, type TestTenant, uniqueEmail } from "../../../test/harness";
import {
  postmarkMailboxBody,
  postmarkRequestsTo,
  smtpMailboxBody,
  smtpMessagesTo,
} from "../../../test/outreach-providers";
import { addMember } from "../../../test/people";

const anyIso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

async function createMailbox(owner: TestTenant, body: Record<string, unknown>) {
  const response = await api("POST", "/api/v1/mailboxes", { token: owner.accessToken, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

function testSend(owner: TestTenant, id: string, to: string) {
  return api("POST", `/api/v1/mailboxes/${id}/test`, { token: owner.accessToken, body: { to } });
}

async function storedRow(id: string) {
  const rows = await createDb(env.DB).select().from(mailboxes).where(eq(mailboxes.id, id));
  return rows[0]!;
}

describe("mailboxes", () => {
  it("creates an SMTP mailbox with write-only credentials sealed at rest; reads, lists, updates and deletes it", async () => {
    const owner = await signupTenant("Mailer");
    const created = await createMailbox(owner, smtpMailboxBody({ name: "  Sales  ", fromAddress: "Ada@Sender.test" }));
    expect(created).toEqual({
      id: expect.stringMatching(/^mbx_[0-9a-z]{26}$/),
      name: "Sales",
      fromAddress: "ada@sender.test",
      fromName: "Ada Lovelace",
      transport: "smtp",
      settings: { host: "127.0.0.1", port: inject("smtpPort"), security: "none", username: inject("smtpUser") },
      hasCredentials: true,
      dailyCap: 200,
      minSpacingSeconds: 60,
      isDefault: true,
      lastSentAt: null,
      createdAt: anyIso,
      updatedAt: created.createdAt,
    });
    expect(JSON.stringify(created)).not.toContain(inject("smtpPassword"));

    // At rest: AES-GCM sealed, bound to this tenant and row.
    const row = await storedRow(created.id);
    expect(row.sealedCredentials).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(row.sealedCredentials).not.toContain(inject("smtpPassword"));
    expect(
      JSON.parse(await openSecret(env.SECRETS_KEY, row.sealedCredentials!, `${owner.tenantId}:${created.id}`)),
    ).toEqual({
      password: inject("smtpPassword"),
    });
    await expect(openSecret(env.SECRETS_KEY, row.sealedCredentials!, `${owner.tenantId}:mbx_other`)).rejects.toThrow();

    const got = await json(await api("GET", `/api/v1/mailboxes/${created.id}`, { token: owner.accessToken }));
    expect(got).toEqual(created);
    const listed = await json(await api("GET", "/api/v1/mailboxes", { token: owner.accessToken }));
    expect(listed).toEqual({ data: [created], nextCursor: null });

    const patched = await api("PATCH", `/api/v1/mailboxes/${created.id}`, {
      token: owner.accessToken,
      body: { name: "Sales EU", dailyCap: 50, minSpacingSeconds: 120, credentials: { password: "rotated-password" } },
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(await json(patched)).toEqual({
      ...created,
      name: "Sales EU",
      dailyCap: 50,
      minSpacingSeconds: 120,
      updatedAt: anyIso,
    });
    const rotated = await storedRow(created.id);
    expect(
      JSON.parse(await openSecret(env.SECRETS_KEY, rotated.sealedCredentials!, `${owner.tenantId}:${created.id}`)),
    ).toEqual({ password: "rotated-password" });

    // The audit log records that the credentials were replaced, never what they are.
    const audit = await json(
      await api("GET", `/api/v1/audit-log?entityId=${created.id}`, { token: owner.accessToken }),
    );
    expect(audit.data.map((entry: { action: string }) => entry.action)).toEqual(["update", "create"]);
    expect(audit.data[0].after).toEqual({
      name: "Sales EU",
      dailyCap: 50,
      minSpacingSeconds: 120,
      credentials: "replaced",
    });
    expect(JSON.stringify(audit)).not.toContain("rotated-password");
    expect(JSON.stringify(audit)).not.toContain(inject("smtpPassword"));

    const deleted = await api("DELETE", `/api/v1/mailboxes/${created.id}`, { token: owner.accessToken });
    expect(deleted.status).toBe(204);
    await expectProblem(
      await api("GET", `/api/v1/mailboxes/${created.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    expect(await json(await api("GET", "/api/v1/mailboxes", { token: owner.accessToken }))).toEqual({
      data: [],
      nextCursor: null,
    });
  });

  it("keeps one default per tenant: the first mailbox, then whichever is made default", async () => {
    const owner = await signupTenant("Defaults");
    const first = await createMailbox(owner, { name: "Dev", fromAddress: "dev@sender.test", transport: "dev_outbox" });
    const second = await createMailbox(owner, postmarkMailboxBody());
    expect([first.isDefault, second.isDefault]).toEqual([true, false]);

    const third = await createMailbox(owner, smtpMailboxBody({ isDefault: true }));
    const defaults = async () =>
      (await json(await api("GET", "/api/v1/mailboxes", { token: owner.accessToken }))).data.map(
        (m: { id: string; isDefault: boolean }) => [m.id, m.isDefault],
      );
    expect(await defaults()).toEqual([
      [third.id, true],
      [second.id, false],
      [first.id, false],
    ]);

    await api("PATCH", `/api/v1/mailboxes/${second.id}`, { token: owner.accessToken, body: { isDefault: true } });
    expect(await defaults()).toEqual([
      [third.id, false],
      [second.id, true],
      [first.id, false],
    ]);

    // Deleting the default leaves the tenant without one (sends fall back to the dev outbox).
    await api("DELETE", `/api/v1/mailboxes/${second.id}`, { token: owner.accessToken });
    expect(await defaults()).toEqual([
      [third.id, false],
      [first.id, false],
    ]);
  });

  it("answers invalid mailboxes with 422 and the field at fault", async () => {
    const owner = await signupTenant("Invalid");
    const paths = async (body: unknown) =>
      (
        await expectProblem(
          await api("POST", "/api/v1/mailboxes", { token: owner.accessToken, body }),
          422,
          "VALIDATION_FAILED",
        )
      ).errors.map((e: { path: string; message: string }) => e.path);

    expect(await paths({ name: "S", fromAddress: "s@sender.test", transport: "smtp" })).toEqual([
      "body.settings.host",
      "body.settings.port",
    ]);
    expect(
      await paths(smtpMailboxBody({ settings: { host: "smtp.example.com", port: 25 }, credentials: undefined })),
    ).toEqual(["body.settings.port"]);
    expect(
      await paths(
        smtpMailboxBody({ settings: { host: "smtp.example.com", port: 587, username: "u" }, credentials: undefined }),
      ),
    ).toEqual(["body.credentials.password"]);
    expect(await paths(postmarkMailboxBody({ credentials: undefined }))).toEqual(["body.credentials.serverToken"]);
    expect(await paths(postmarkMailboxBody({ credentials: { serverToken: "t", password: "p" } }))).toEqual([
      "body.credentials.password",
    ]);
    expect(
      await paths({ name: "D", fromAddress: "d@sender.test", transport: "dev_outbox", credentials: { password: "p" } }),
    ).toEqual(["body.credentials"]);
    expect(await paths(smtpMailboxBody({ fromAddress: "not an address" }))).toEqual(["body.fromAddress"]);
    expect(await paths(smtpMailboxBody({ transport: "carrier_pigeon" }))).toEqual(["body.transport"]);
    expect(await paths(smtpMailboxBody({ settings: { host: "h", port: 587, tls: true } }))).toEqual(["body.settings"]);

    // Switching an SMTP mailbox to Postmark needs Postmark's token: the SMTP password does not carry over.
    const smtp = await createMailbox(owner, smtpMailboxBody());
    const switched = await api("PATCH", `/api/v1/mailboxes/${smtp.id}`, {
      token: owner.accessToken,
      body: { transport: "postmark" },
    });
    expect((await expectProblem(switched, 422)).errors).toEqual([
      { path: "body.credentials.serverToken", message: "A Postmark mailbox needs its server API token" },
    ]);
  });

  it("in production, a Postmark base URL must be https to a public host", async () => {
    const { createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    const { createApp } = await import("../../app");
    const owner = await signupTenant("Prod");
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request("https://crm.test/api/v1/mailboxes", {
        method: "POST",
        headers: { authorization: `Bearer ${owner.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify(postmarkMailboxBody()),
      }),
      { ...env, ENVIRONMENT: "production" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const problem = await expectProblem(response, 422, "VALIDATION_FAILED");
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["body.settings.apiBaseUrl"]);
  });

  it("refuses to delete a mailbox a live sequence sends through (409 naming the sequences)", async () => {
    const owner = await signupTenant("InUse");
    const mailbox = await createMailbox(owner, smtpMailboxBody());
    const db = tenantDb(createDb(env.DB), owner.tenantId);
    await db.batch([
      db.insertQuery(sequences, {
        id: "seq_01jc9x7d1q8m3v5n2k4p6r8t0w",
        name: "Uses the mailbox",
        mailboxId: mailbox.id,
        sendWindow: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
        exitRules: { onReply: true, onBounce: true, onUnsubscribe: true, onDealWon: true, onMeetingBooked: true },
        createdBy: "us_fixture",
      }),
    ]);
    const refused = await expectProblem(
      await api("DELETE", `/api/v1/mailboxes/${mailbox.id}`, { token: owner.accessToken }),
      409,
      "CONFLICT",
    );
    expect(refused.sequenceIds).toEqual(["seq_01jc9x7d1q8m3v5n2k4p6r8t0w"]);

    await db.batch([db.updateQuery(sequences, { status: "archived" }, eq(sequences.mailboxId, mailbox.id))]);
    expect((await api("DELETE", `/api/v1/mailboxes/${mailbox.id}`, { token: owner.accessToken })).status).toBe(204);
  });

  it("another tenant cannot see, change, delete or send through the first tenant's mailboxes (404)", async () => {
    const a = await signupTenant("Tenant A");
    const b = await signupTenant("Tenant B");
    const mailbox = await createMailbox(a, smtpMailboxBody());
    for (const [method, path, body] of [
      ["GET", `/api/v1/mailboxes/${mailbox.id}`, undefined],
      ["PATCH", `/api/v1/mailboxes/${mailbox.id}`, { name: "Taken" }],
      ["DELETE", `/api/v1/mailboxes/${mailbox.id}`, undefined],
      ["POST", `/api/v1/mailboxes/${mailbox.id}/test`, { to: "x@example.com" }],
    ] as const) {
      await expectProblem(
        await api(method, path, { token: b.accessToken, ...(body ? { body } : {}) }),
        404,
        "NOT_FOUND",
      );
    }
    expect((await json(await api("GET", "/api/v1/mailboxes", { token: b.accessToken }))).data).toEqual([]);
    expect(await json(await api("GET", `/api/v1/mailboxes/${mailbox.id}`, { token: a.accessToken }))).toEqual(mailbox);

    // Credentials sealed for A's mailbox do not open in B's row, even with the same key.
    const own = await createMailbox(b, smtpMailboxBody({ name: "B's" }));
    const stolen = (await storedRow(mailbox.id)).sealedCredentials;
    await createDb(env.DB).update(mailboxes).set({ sealedCredentials: stolen }).where(eq(mailboxes.id, own.id));
    const to = uniqueEmail("stolen");
    const problem = await expectProblem(await testSend(b, own.id, to), 502, "UPSTREAM_ERROR");
    expect(problem.detail).toBe(`The credentials of mailbox ${own.id} cannot be opened; enter them again`);
    expect(await smtpMessagesTo(to)).toEqual([]);
  });

  it("needs outreach scopes for API keys and the admin role for changes", async () => {
    const owner = await signupTenant("Scopes");
    const mailbox = await createMailbox(owner, {
      name: "Dev",
      fromAddress: "dev@sender.test",
      transport: "dev_outbox",
    });
    const reader = await createKey(owner, ["outreach:read"]);
    expect((await api("GET", "/api/v1/mailboxes", { token: reader.key })).status).toBe(200);
    const denied = await expectProblem(
      await api("POST", `/api/v1/mailboxes/${mailbox.id}/test`, { token: reader.key, body: { to: "x@example.com" } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    expect(denied.requiredScope).toBe("outreach:write");
    const member = await addMember(owner, "member");
    await expectProblem(
      await api("PATCH", `/api/v1/mailboxes/${mailbox.id}`, { token: member.accessToken, body: { name: "No" } }),
      403,
      "FORBIDDEN",
    );
    expect((await api("GET", `/api/v1/mailboxes/${mailbox.id}`, { token: member.accessToken })).status).toBe(200);
  });
});

describe("mailbox test sends", () => {
  it("sends through the real SMTP server with AUTH, from the mailbox's address and name", async () => {
    const owner = await signupTenant("SMTP");
    const mailbox = await createMailbox(owner, smtpMailboxBody({ name: "Ada's mailbox" }));
    const to = uniqueEmail("smtp-test");
    const response = await testSend(owner, mailbox.id, to);
    expect(response.status, await response.clone().text()).toBe(200);
    const result = await json(response);
    expect(result).toEqual({
      delivered: true,
      transport: "smtp",
      to,
      messageId: expect.stringMatching(/^<[0-9a-f-]{36}@sender\.test>$/),
    });
    const [arrived, ...more] = await smtpMessagesTo(to);
    expect(more).toEqual([]);
    expect(arrived).toMatchObject({
      listener: "plain",
      authUser: inject("smtpUser"),
      envelope: { from: "ada@sender.test", to: [to] },
      from: '"Ada Lovelace" <ada@sender.test>',
      to,
      subject: "Test message from Ada's mailbox",
      messageId: result.messageId,
      text: `This is a test message sent through the mailbox "Ada's mailbox" (smtp).\nIf you can read it, the mailbox can send.\n`,
    });
  });

  it("reports the SMTP server's refusals and connection failures as 502 problems", async () => {
    const owner = await signupTenant("SMTP errors");
    const wrongPassword = await createMailbox(owner, smtpMailboxBody({ credentials: { password: "wrong" } }));
    const badLogin = await expectProblem(
      await testSend(owner, wrongPassword.id, uniqueEmail("x")),
      502,
      "UPSTREAM_ERROR",
    );
    expect(badLogin).toMatchObject({ transport: "smtp", permanent: true, providerCode: 535 });
    expect(badLogin.detail).toMatch(
      new RegExp(`^SMTP session with 127\\.0\\.0\\.1:${inject("smtpPort")} failed: .*535`),
    );

    const good = await createMailbox(owner, smtpMailboxBody());
    const refusedTo = uniqueEmail("reject");
    const refused = await expectProblem(await testSend(owner, good.id, refusedTo), 502, "UPSTREAM_ERROR");
    expect(refused).toMatchObject({ transport: "smtp", permanent: true, providerCode: 550 });
    expect(refused.detail).toContain(`Mailbox ${refusedTo} does not exist`);
    expect(await smtpMessagesTo(refusedTo)).toEqual([]);

    // Nothing listens on port 1: a transient failure (a retry may succeed).
    const closed = await createMailbox(
      owner,
      smtpMailboxBody({ settings: { host: "127.0.0.1", port: 1, security: "none" }, credentials: undefined }),
    );
    const unreachable = await expectProblem(await testSend(owner, closed.id, uniqueEmail("x")), 502, "UPSTREAM_ERROR");
    expect(unreachable).toMatchObject({ transport: "smtp", permanent: false, providerCode: null });
    expect(unreachable.detail).toMatch(/^SMTP session with 127\.0\.0\.1:1 failed: /);
  });

  it("upgrades with STARTTLS when asked and refuses a certificate it cannot verify (self-signed)", async () => {
    const owner = await signupTenant("STARTTLS");
    const mailbox = await createMailbox(
      owner,
      smtpMailboxBody({
        settings: {
          host: "localhost",
          port: inject("smtpStartTlsPort"),
          security: "starttls",
          username: inject("smtpUser"),
        },
      }),
    );
    const to = uniqueEmail("tls");
    const problem = await expectProblem(await testSend(owner, mailbox.id, to), 502, "UPSTREAM_ERROR");
    expect(problem).toMatchObject({ transport: "smtp", permanent: false });
    expect(problem.detail).toMatch(new RegExp(`^SMTP session with localhost:${inject("smtpStartTlsPort")} failed: `));
    // The password never went over the unverified connection: nothing was accepted.
    expect(await smtpMessagesTo(to)).toEqual([]);
  });

  it("sends through Postmark's API with the server token and reports its errors", async () => {
    const owner = await signupTenant("Postmark");
    const mailbox = await createMailbox(owner, postmarkMailboxBody({ name: "Grace's" }));
    const to = uniqueEmail("pm");
    const response = await testSend(owner, mailbox.id, to);
    expect(response.status, await response.clone().text()).toBe(200);
    const result = await json(response);
    expect(result).toEqual({
      delivered: true,
      transport: "postmark",
      to,
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const [request, ...more] = await postmarkRequestsTo(to);
    expect(more).toEqual([]);
    expect(request!.status).toBe(200);
    expect(request!.headers["x-postmark-server-token"]).toBe(inject("postmarkToken"));
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers.accept).toBe("application/json");
    expect(request!.body).toEqual({
      From: '"Grace Hopper" <grace@sender.test>',
      To: to,
      Subject: "Test message from Grace's",
      TextBody: `This is a test message sent through the mailbox "Grace's" (postmark).\nIf you can read it, the mailbox can send.`,
      MessageStream: "outbound",
      TrackOpens: false,
      TrackLinks: "None",
    });

    const inactive = await expectProblem(
      await testSend(owner, mailbox.id, uniqueEmail("inactive")),
      502,
      "UPSTREAM_ERROR",
    );
    expect(inactive).toMatchObject({ transport: "postmark", permanent: true, providerCode: 406 });
    expect(inactive.detail).toMatch(/^Postmark refused the message \(HTTP 422, ErrorCode 406\): You tried to send/);

    await api("PATCH", `/api/v1/mailboxes/${mailbox.id}`, {
      token: owner.accessToken,
      body: { credentials: { serverToken: "not-the-token" } },
    });
    const badToken = await expectProblem(await testSend(owner, mailbox.id, uniqueEmail("pm")), 502, "UPSTREAM_ERROR");
    expect(badToken).toMatchObject({ transport: "postmark", permanent: true, providerCode: 10 });
    expect(badToken.detail).toMatch(/^Postmark refused the message \(HTTP 401, ErrorCode 10\)/);
  });

  it("a dev outbox mailbox's test lands in the dev outbox", async () => {
    const owner = await signupTenant("Dev");
    const mailbox = await createMailbox(owner, {
      name: "Dev",
      fromAddress: "dev@sender.test",
      transport: "dev_outbox",
    });
    const to = uniqueEmail("dev");
    const result = await json(await testSend(owner, mailbox.id, to));
    expect(result).toEqual({ delivered: true, transport: "dev_outbox", to, messageId: expect.stringMatching(/^msg_/) });
    const outbox = await json(
      await api("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`, { token: owner.accessToken }),
    );
    expect(outbox.data).toEqual([
      expect.objectContaining({ id: result.messageId, kind: "mailbox_test", to, subject: "Test message from Dev" }),
    ]);
  });
});

describe("mailTransportFor (what the send pipeline uses)", () => {
  const outreachHeaders = (to: string) => ({
    "Message-ID": `<om_01jc9x7d1q8m3v5n2k4p6r8t0w.${to.split("@")[0]}@reply.crm.localhost>`,
    "In-Reply-To": "<om_01jc9x7d1q8m3v5n2k4p6r8t00@reply.crm.localhost>",
    "List-Unsubscribe": "<http://localhost:8787/t/u/tok_abc>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  });

  it("SMTP carries From, Reply-To, the outreach headers, text and HTML; CR/LF cannot add headers", async () => {
    const owner = await signupTenant("Pipeline SMTP");
    const created = await createMailbox(owner, smtpMailboxBody());
    const transport = mailTransportFor(
      { secretsKey: env.SECRETS_KEY, db: createDb(env.DB) },
      await storedRow(created.id),
    );
    const to = uniqueEmail("seq");
    const headers = outreachHeaders(to);
    const sent = await transport.send({
      tenantId: owner.tenantId,
      kind: "outreach",
      to,
      subject: "Quick question\r\nBcc: victim@example.com",
      text: "Hi there,\nshall we talk?",
      html: "<p>Hi there,<br>shall we talk?</p>",
      dedupeKey: "enr_1:sqs_1",
      replyTo: "reply+rt_123@reply.crm.localhost",
      headers,
    });
    expect(sent).toEqual({ messageId: headers["Message-ID"], duplicate: false });
    const [arrived, ...more] = await smtpMessagesTo(to);
    expect(more).toEqual([]);
    expect(arrived).toMatchObject({
      envelope: { from: "ada@sender.test", to: [to] },
      subject: "Quick question Bcc: victim@example.com",
      replyTo: "reply+rt_123@reply.crm.localhost",
      messageId: headers["Message-ID"],
      inReplyTo: headers["In-Reply-To"],
      text: "Hi there,\nshall we talk?\n",
      html: "<p>Hi there,<br>shall we talk?</p>\n",
    });
    expect(arrived!.headers["list-unsubscribe"]).toBe("<http://localhost:8787/t/u/tok_abc>");
    expect(arrived!.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(arrived!.headers.bcc).toBeUndefined();
  });

  it("Postmark gets the same headers as its Headers list, ReplyTo and HtmlBody", async () => {
    const owner = await signupTenant("Pipeline Postmark");
    const created = await createMailbox(
      owner,
      postmarkMailboxBody({
        settings: { apiBaseUrl: `${inject("mailServersUrl")}/postmark/`, messageStream: "broadcast" },
      }),
    );
    const transport = mailTransportFor(
      { secretsKey: env.SECRETS_KEY, db: createDb(env.DB) },
      await storedRow(created.id),
    );
    const to = uniqueEmail("seq");
    const headers = outreachHeaders(to);
    const sent = await transport.send({
      tenantId: owner.tenantId,
      kind: "outreach",
      to,
      subject: "Quick question",
      text: "Hi",
      html: "<p>Hi</p>",
      dedupeKey: "enr_1:sqs_1",
      replyTo: "reply+rt_123@reply.crm.localhost",
      headers,
      from: { address: "other@sender.test", name: 'Ada "The Countess" L' },
    });
    const [request] = await postmarkRequestsTo(to);
    expect(sent).toEqual({ messageId: expect.stringMatching(/^[0-9a-f-]{36}$/), duplicate: false });
    expect(request!.body).toEqual({
      From: '"Ada \\"The Countess\\" L" <other@sender.test>',
      To: to,
      Subject: "Quick question",
      TextBody: "Hi",
      HtmlBody: "<p>Hi</p>",
      ReplyTo: "reply+rt_123@reply.crm.localhost",
      Headers: Object.entries(headers).map(([Name, Value]) => ({ Name, Value })),
      MessageStream: "broadcast",
      TrackOpens: false,
      TrackLinks: "None",
    });
  });

  it("no mailbox or a dev outbox mailbox: the dev outbox, which sends a dedupe key once", async () => {
    const owner = await signupTenant("Pipeline Dev");
    const transport = mailTransportFor({ secretsKey: env.SECRETS_KEY, db: createDb(env.DB) }, null);
    const to = uniqueEmail("dev");
    const mail = { tenantId: owner.tenantId, kind: "outreach", to, subject: "S", text: "T", dedupeKey: `dedupe:${to}` };
    const first = await transport.send(mail);
    expect(await transport.send(mail)).toEqual({ messageId: first.messageId, duplicate: true });
    expect(first.duplicate).toBe(false);
    expect(transport.name).toBe("dev-outbox");
  });

  it("throws MailTransportError (permanent or not) for the pipeline to skip or retry", async () => {
    const owner = await signupTenant("Pipeline errors");
    const created = await createMailbox(owner, smtpMailboxBody());
    const transport = mailTransportFor(
      { secretsKey: env.SECRETS_KEY, db: createDb(env.DB) },
      await storedRow(created.id),
    );
    const error = await transport
      .send({
        tenantId: owner.tenantId,
        kind: "outreach",
        to: uniqueEmail("reject"),
        subject: "S",
        text: "T",
        dedupeKey: "k",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailTransportError);
    expect(error).toMatchObject({ transport: "smtp", permanent: true, providerCode: 550 });
  });
});
