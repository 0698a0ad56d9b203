import { createHmac } from "node:crypto";
import { env, SELF } from "cloudflare:test";
import { createDb, outreachEvents, outreachMessages, tenantDb, twilioAccounts } from "@crm/db";
import {
  ChannelSendError,
  channelSenderFor,
  openSecret,
  twilioAccountFor,
  twilioStatusCallbackUrl,
} from "@crm/services";
import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { api, expectProblem, json, signupTenant, type TestTenant } from "../../../test/harness";
import { twilioAccountBody, twilioRequestsTo } from "../../../test/outreach-providers";

const anyIso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
let numberCounter = 0;
/** A fresh E.164 number per call, so the Twilio server's log is read per test. */
const freshNumber = () => `+1415${String(Date.now() % 1_000_000).padStart(6, "0")}${(numberCounter += 1) % 10}`;

async function putAccount(owner: TestTenant, body: Record<string, unknown> = twilioAccountBody()) {
  const response = await api("PUT", "/api/v1/outreach/twilio", { token: owner.accessToken, body });
  expect(response.status, await response.clone().text()).toBe(200);
  const settings = await json(response);
  expect(settings.configured).toBe(true);
  return settings.account;
}

async function getSettings(owner: TestTenant) {
  const response = await api("GET", "/api/v1/outreach/twilio", { token: owner.accessToken });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

async function senderOf(owner: TestTenant) {
  const account = await twilioAccountFor({ db: tenantDb(createDb(env.DB), owner.tenantId) });
  return channelSenderFor({ secretsKey: env.SECRETS_KEY }, account);
}

/** Twilio's signature computed independently (node:crypto), as Twilio would send it. */
function signed(url: string, params: Record<string, string>, token = inject("twilioAuthToken")) {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join("");
  return createHmac("sha1", token).update(data).digest("base64");
}

function callback(url: string, params: Record<string, string>, signature: string) {
  return SELF.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    body: new URLSearchParams(params).toString(),
  });
}

/** A sent SMS outreach message as the send pipeline leaves it (the pipeline is not under test here). */
async function seedSentMessage(owner: TestTenant, id: string, providerMessageId: string, to: string) {
  const db = tenantDb(createDb(env.DB), owner.tenantId);
  await db.batch([
    db.insertQuery(outreachMessages, {
      id,
      dedupeKey: `enr_x:${id}`,
      channel: "sms",
      status: "sent",
      toAddress: to,
      text: "Hi",
      providerMessageId,
      transport: "twilio",
      sentAt: new Date(),
    }),
  ]);
}

async function messageState(id: string) {
  const [message] = await createDb(env.DB).select().from(outreachMessages).where(eq(outreachMessages.id, id));
  const events = await createDb(env.DB).select().from(outreachEvents).where(eq(outreachEvents.messageId, id));
  return { message: message!, events: events.map((e) => [e.type, e.detail]) };
}

describe("Twilio settings", () => {
  it("stores the account with a write-only sealed auth token; updates keep it; deletes", async () => {
    const owner = await signupTenant("Twilio");
    expect(await getSettings(owner)).toEqual({ configured: false, account: null });
    const created = await putAccount(owner);
    expect(created).toEqual({
      accountSid: inject("twilioAccountSid"),
      fromNumber: "+14155550100",
      whatsappFrom: "+14155550101",
      apiBaseUrl: `${inject("mailServersUrl")}/twilio`,
      hasAuthToken: true,
      createdAt: anyIso,
      updatedAt: anyIso,
    });
    const [row] = await createDb(env.DB)
      .select()
      .from(twilioAccounts)
      .where(eq(twilioAccounts.tenantId, owner.tenantId));
    expect(row!.sealedAuthToken).not.toContain(inject("twilioAuthToken"));
    expect(await openSecret(env.SECRETS_KEY, row!.sealedAuthToken, `${owner.tenantId}:${row!.id}`)).toBe(
      inject("twilioAuthToken"),
    );

    const { authToken: _omitted, ...withoutToken } = twilioAccountBody({ whatsappFrom: null });
    const updated = await putAccount(owner, withoutToken);
    expect(updated).toEqual({ ...created, whatsappFrom: null, updatedAt: anyIso });
    const [kept] = await createDb(env.DB)
      .select()
      .from(twilioAccounts)
      .where(eq(twilioAccounts.tenantId, owner.tenantId));
    expect(kept!.sealedAuthToken).toBe(row!.sealedAuthToken);
    expect(await getSettings(owner)).toEqual({ configured: true, account: updated });

    // Without a WhatsApp sender, WhatsApp steps are not configured.
    expect((await senderOf(owner))!.supports("whatsapp")).toBe(false);
    expect((await senderOf(owner))!.supports("sms")).toBe(true);

    expect((await api("DELETE", "/api/v1/outreach/twilio", { token: owner.accessToken })).status).toBe(204);
    expect(await getSettings(owner)).toEqual({ configured: false, account: null });
    expect(await senderOf(owner)).toBeNull();
  });

  it("answers invalid settings with 422 at the field; another tenant sees none of them", async () => {
    const owner = await signupTenant("Twilio invalid");
    const put = (body: unknown) => api("PUT", "/api/v1/outreach/twilio", { token: owner.accessToken, body });
    const paths = async (body: unknown) =>
      (await expectProblem(await put(body), 422, "VALIDATION_FAILED")).errors.map((e: { path: string }) => e.path);
    expect(await paths(twilioAccountBody({ accountSid: "XX123", fromNumber: "4155550100" }))).toEqual([
      "body.accountSid",
      "body.fromNumber",
    ]);
    expect(await paths(twilioAccountBody({ whatsappFrom: "whatsapp:+1415" }))).toEqual(["body.whatsappFrom"]);
    const { authToken: _omitted, ...withoutToken } = twilioAccountBody();
    expect(await paths(withoutToken)).toEqual(["body.authToken"]);

    await putAccount(owner);
    const other = await signupTenant("Other");
    expect(await getSettings(other)).toEqual({ configured: false, account: null });
    await expectProblem(await api("DELETE", "/api/v1/outreach/twilio", { token: other.accessToken }), 404, "NOT_FOUND");
    expect((await getSettings(owner)).configured).toBe(true);
  });
});

describe("the Twilio channel sender", () => {
  it("sends SMS and WhatsApp through Messages.json and calls with TwiML through Calls.json", async () => {
    const owner = await signupTenant("Twilio send");
    await putAccount(owner);
    const sender = (await senderOf(owner))!;
    const basic = `Basic ${btoa(`${inject("twilioAccountSid")}:${inject("twilioAuthToken")}`)}`;
    const messagesPath = `/2010-04-01/Accounts/${inject("twilioAccountSid")}/Messages.json`;
    const callbackUrl = twilioStatusCallbackUrl("https://crm.test", owner.tenantId, "om_1");
    expect(callbackUrl).toBe(`https://crm.test/hooks/twilio/${owner.tenantId}/status?message=om_1`);

    const smsTo = freshNumber();
    const sms = await sender.send({
      channel: "sms",
      to: smsTo,
      body: "Hi Ada, a quick note.",
      statusCallbackUrl: callbackUrl,
    });
    expect(sms.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(await twilioRequestsTo(smsTo)).toEqual([
      {
        path: messagesPath,
        authorization: basic,
        contentType: "application/x-www-form-urlencoded",
        params: { To: smsTo, From: "+14155550100", Body: "Hi Ada, a quick note.", StatusCallback: callbackUrl },
        status: 201,
      },
    ]);

    const whatsappTo = freshNumber();
    await sender.send({ channel: "whatsapp", to: whatsappTo, body: "Hello on WhatsApp" });
    expect((await twilioRequestsTo(`whatsapp:${whatsappTo}`)).map((r) => r.params)).toEqual([
      { To: `whatsapp:${whatsappTo}`, From: "whatsapp:+14155550101", Body: "Hello on WhatsApp" },
    ]);

    const callTo = freshNumber();
    const call = await sender.send({
      channel: "call",
      to: callTo,
      body: "Hi <Ada> & team",
      statusCallbackUrl: callbackUrl,
    });
    expect(call.providerMessageId).toMatch(/^CA[0-9a-f]{32}$/);
    const [callRequest] = await twilioRequestsTo(callTo);
    expect(callRequest!.path).toBe(`/2010-04-01/Accounts/${inject("twilioAccountSid")}/Calls.json`);
    expect(callRequest!.params).toEqual({
      To: callTo,
      From: "+14155550100",
      Twiml: '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hi &lt;Ada&gt; &amp; team</Say></Response>',
      StatusCallback: callbackUrl,
      StatusCallbackMethod: "POST",
    });
  });

  it("throws ChannelSendError with Twilio's code: a bad number, a wrong token", async () => {
    const owner = await signupTenant("Twilio errors");
    await putAccount(owner);
    const badNumber = await (await senderOf(owner))!
      .send({ channel: "sms", to: "+12", body: "x" })
      .catch((e: unknown) => e);
    expect(badNumber).toBeInstanceOf(ChannelSendError);
    expect(badNumber).toMatchObject({
      permanent: true,
      providerCode: 21211,
      message: "Twilio refused the message (HTTP 400, code 21211): The 'To' number +12 is not a valid phone number.",
    });

    await putAccount(owner, twilioAccountBody({ authToken: "not-the-right-token-123" }));
    const badToken = await (await senderOf(owner))!
      .send({ channel: "call", to: freshNumber(), body: "x" })
      .catch((e: unknown) => e);
    expect(badToken).toMatchObject({
      permanent: true,
      providerCode: 20003,
      message: "Twilio refused the call (HTTP 401, code 20003): Authenticate",
    });
  });
});

describe("Twilio status callbacks", () => {
  it("records delivery once, verified by X-Twilio-Signature; failures with Twilio's error code", async () => {
    const owner = await signupTenant("Callbacks");
    await putAccount(owner);
    const to = freshNumber();
    const { providerMessageId: sid } = await (await senderOf(owner))!.send({ channel: "sms", to, body: "Hi" });
    await seedSentMessage(owner, "om_01jc9x7d1q8m3v5n2k4p6r8t01", sid, to);
    const url = twilioStatusCallbackUrl("https://crm.test", owner.tenantId, "om_01jc9x7d1q8m3v5n2k4p6r8t01");
    const delivered = { MessageSid: sid, MessageStatus: "delivered", AccountSid: inject("twilioAccountSid"), To: to };

    // A tampered body (or a signature under another token) changes nothing.
    const forged = await callback(url, { ...delivered, MessageStatus: "failed" }, signed(url, delivered));
    await expectProblem(forged, 403, "FORBIDDEN");
    await expectProblem(await callback(url, delivered, signed(url, delivered, "another-token")), 403, "FORBIDDEN");
    await expectProblem(await callback(url, delivered, ""), 403, "FORBIDDEN");
    expect((await messageState("om_01jc9x7d1q8m3v5n2k4p6r8t01")).events).toEqual([]);

    expect((await callback(url, delivered, signed(url, delivered))).status).toBe(204);
    expect((await callback(url, delivered, signed(url, delivered))).status).toBe(204);
    const afterDelivery = await messageState("om_01jc9x7d1q8m3v5n2k4p6r8t01");
    expect(afterDelivery.message.deliveredAt).toBeInstanceOf(Date);
    expect(afterDelivery.events).toEqual([["delivered", "delivered"]]);

    // A status in between (sent) is acknowledged and changes nothing.
    const sent = { ...delivered, MessageStatus: "sent" };
    expect((await callback(url, sent, signed(url, sent))).status).toBe(204);
    expect((await messageState("om_01jc9x7d1q8m3v5n2k4p6r8t01")).events).toEqual([["delivered", "delivered"]]);

    const failed = { ...delivered, MessageStatus: "undelivered", ErrorCode: "30003" };
    expect((await callback(url, failed, signed(url, failed))).status).toBe(204);
    expect((await callback(url, failed, signed(url, failed))).status).toBe(204);
    const afterFailure = await messageState("om_01jc9x7d1q8m3v5n2k4p6r8t01");
    expect(afterFailure.message).toMatchObject({ status: "failed", error: "undelivered (Twilio error 30003)" });
    expect(afterFailure.events).toEqual([
      ["delivered", "delivered"],
      ["failed", "undelivered (Twilio error 30003)"],
    ]);
  });

  it("is refused for another tenant's path, an unknown message or a sid that is not the message's", async () => {
    const a = await signupTenant("Callback A");
    const b = await signupTenant("Callback B");
    await putAccount(a);
    await putAccount(b, twilioAccountBody({ authToken: "tenant-b-own-auth-token" }));
    await seedSentMessage(a, "om_01jc9x7d1q8m3v5n2k4p6r8t02", "SM00000000000000000000000000000002", freshNumber());
    const params = { MessageSid: "SM00000000000000000000000000000002", MessageStatus: "delivered" };

    // Signed with A's token but sent to B's path: B's token does not verify it.
    const bUrl = twilioStatusCallbackUrl("https://crm.test", b.tenantId, "om_01jc9x7d1q8m3v5n2k4p6r8t02");
    await expectProblem(await callback(bUrl, params, signed(bUrl, params)), 403, "FORBIDDEN");
    // Signed with B's own token: B has no such message.
    await expectProblem(
      await callback(bUrl, params, signed(bUrl, params, "tenant-b-own-auth-token")),
      404,
      "NOT_FOUND",
    );

    const aUrl = twilioStatusCallbackUrl("https://crm.test", a.tenantId, "om_01jc9x7d1q8m3v5n2k4p6r8t02");
    const otherSid = { ...params, MessageSid: "SM99999999999999999999999999999999" };
    await expectProblem(await callback(aUrl, otherSid, signed(aUrl, otherSid)), 404, "NOT_FOUND");
    const unknownUrl = twilioStatusCallbackUrl("https://crm.test", a.tenantId, "om_01jc9x7d1q8m3v5n2k4p6r8t99");
    await expectProblem(await callback(unknownUrl, params, signed(unknownUrl, params)), 404, "NOT_FOUND");
    expect((await messageState("om_01jc9x7d1q8m3v5n2k4p6r8t02")).events).toEqual([]);

    const noAccount = await signupTenant("No Twilio");
    const noUrl = twilioStatusCallbackUrl("https://crm.test", noAccount.tenantId, "om_x");
    await expectProblem(await callback(noUrl, params, signed(noUrl, params)), 404, "NOT_FOUND");
  });
});
