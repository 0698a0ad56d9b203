import { env, SELF } from "cloudflare:test";
import { signTrackingToken, signTrackingTokens, trackingLinks, verifyTrackingToken } from "@crm/services";
import { beforeAll, describe, expect, it } from "vitest";
import { api, json, signupTenant, type TestTenant, uniqueEmail } from "../../../test/harness";
import { createContact, domainEventsOf, enrollmentOf, seedSentMessage } from "../../../test/outreach-seed";

const links = (tenantId: string, messageId: string) =>
  trackingLinks({ secretsKey: env.SECRETS_KEY, publicApiUrl: env.PUBLIC_API_URL }, { tenantId, id: messageId });
const pathOf = (url: string) => new URL(url).pathname;
/** The token with the first character of its signature changed. */
function flipSignature(token: string): string {
  const at = token.lastIndexOf(".") + 1;
  return `${token.slice(0, at)}${token[at] === "A" ? "B" : "A"}${token.slice(at + 1)}`;
}

async function message(owner: TestTenant, id: string) {
  const response = await api("GET", `/api/v1/outreach/messages/${id}`, { token: owner.accessToken });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Tracking A"), signupTenant("Tracking B")]);
});

describe("tracked bodies", () => {
  it("rewrite links to signed click URLs, keep the unsubscribe link and add the pixel", () => {
    const l = links(a.tenantId, "om_01jc9x7d1q8m3v5n2k4p6r8t0w");
    const body = l.trackBody({
      text: `Pricing: https://vendor.example/pricing. Stop: ${l.unsubscribeUrl}`,
      html: `<p><a href="https://vendor.example/pricing">Pricing</a> <a href="${l.unsubscribeUrl}">Stop</a></p>`,
    });
    const click = l.clickUrl("https://vendor.example/pricing");
    expect(click.startsWith(`${env.PUBLIC_API_URL}/t/c/c.${a.tenantId}.om_01jc9x7d1q8m3v5n2k4p6r8t0w.`)).toBe(true);
    expect(body.text).toBe(`Pricing: ${click}. Stop: ${l.unsubscribeUrl}`);
    expect(body.html).toBe(
      `<p><a href="${click}">Pricing</a> <a href="${l.unsubscribeUrl}">Stop</a></p>` +
        `<img src="${l.openPixelUrl}" width="1" height="1" alt="" style="display:none">`,
    );
    expect(l.unsubscribeHeaders).toEqual({
      "List-Unsubscribe": `<${l.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });
});

describe("tokens signed for a batch", () => {
  it("are signTrackingToken's tokens, byte for byte, and verify as they do; a short secret is refused", async () => {
    const messageId = "om_01jc9x7d1q8m3v5n2k4p6r8t0w";
    const payloads = [
      { kind: "open" as const, tenantId: a.tenantId, messageId },
      { kind: "unsubscribe" as const, tenantId: a.tenantId, messageId },
      { kind: "click" as const, tenantId: b.tenantId, messageId, url: "https://vendor.example/pricing?q=ü" },
    ];
    const batch = await signTrackingTokens(env.SECRETS_KEY, payloads);
    expect(batch).toEqual(payloads.map((p) => signTrackingToken(env.SECRETS_KEY, p)));
    for (const [i, p] of payloads.entries()) expect(verifyTrackingToken(env.SECRETS_KEY, batch[i]!, p.kind)).toEqual(p);
    // Another secret signs differently (the key cache is per secret).
    const other = await signTrackingTokens(`${env.SECRETS_KEY}x`, payloads);
    expect(other.some((token, i) => token === batch[i])).toBe(false);
    await expect(signTrackingTokens("short", payloads)).rejects.toThrow(/at least 16/);
    // The links of a message given its tokens are the links it gets without them.
    const presigned = trackingLinks(
      { secretsKey: env.SECRETS_KEY, publicApiUrl: env.PUBLIC_API_URL },
      { tenantId: a.tenantId, id: messageId },
      { open: batch[0]!, unsubscribe: batch[1]! },
    );
    const plain = links(a.tenantId, messageId);
    expect([presigned.openPixelUrl, presigned.unsubscribeUrl]).toEqual([plain.openPixelUrl, plain.unsubscribeUrl]);
  });
});

describe("open pixel", () => {
  it("answers a 1x1 GIF, records the first open once and counts every load", async () => {
    const email = uniqueEmail("open");
    const contact = await createContact(a, email);
    const sent = await seedSentMessage(a.tenantId, { id: contact.id, email });
    const pixel = pathOf(links(a.tenantId, sent.messageId).openPixelUrl);
    for (let i = 0; i < 3; i++) {
      const response = await api("GET", pixel);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/gif");
      expect(response.headers.get("cache-control")).toBe("no-store, max-age=0");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes.length).toBe(42);
      expect(new TextDecoder().decode(bytes.slice(0, 6))).toBe("GIF89a");
    }
    const m = await message(a, sent.messageId);
    expect(m.openCount).toBe(3);
    expect(m.firstOpenedAt).not.toBeNull();
    expect(m.events.map((e: { type: string }) => e.type)).toEqual(["opened"]);
    const opened = await domainEventsOf(a.tenantId, "email.opened");
    expect(opened.filter((e) => e.entityId === sent.messageId)).toHaveLength(1);
  });

  it("answers the GIF for a tampered token and records nothing", async () => {
    const email = uniqueEmail("open-bad");
    const contact = await createContact(a, email);
    const sent = await seedSentMessage(a.tenantId, { id: contact.id, email });
    const pixel = pathOf(links(a.tenantId, sent.messageId).openPixelUrl);
    const tampered = flipSignature(pixel.replace(/\.gif$/, "")) + ".gif";
    const response = await api("GET", tampered);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect((await message(a, sent.messageId)).openCount).toBe(0);
  });
});

describe("click redirect", () => {
  it("redirects to the signed URL, records each click, and counts an unopened message opened", async () => {
    const email = uniqueEmail("click");
    const contact = await createContact(a, email);
    const sent = await seedSentMessage(a.tenantId, { id: contact.id, email });
    const target = "https://vendor.example/pricing?plan=team&ref=mail";
    const click = pathOf(links(a.tenantId, sent.messageId).clickUrl(target));
    for (let i = 0; i < 2; i++) {
      const response = await SELF.fetch(`https://crm.test${click}`, { redirect: "manual" });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(target);
    }
    const m = await message(a, sent.messageId);
    expect(m.clickCount).toBe(2);
    expect(m.firstClickedAt).not.toBeNull();
    expect(m.firstOpenedAt).not.toBeNull();
    expect(m.events.map((e: { type: string; detail: string | null }) => [e.type, e.detail])).toEqual([
      ["clicked", target],
      ["opened", "implied by a click"],
      ["clicked", target],
    ]);
    const clicked = (await domainEventsOf(a.tenantId, "email.clicked")).filter((e) => e.entityId === sent.messageId);
    expect(clicked.map((e) => e.data.url)).toEqual([target, target]);
  });

  it("refuses a token whose URL or signature was changed, or that is not a click token: a 400 page, never a redirect", async () => {
    const email = uniqueEmail("click-bad");
    const contact = await createContact(a, email);
    const sent = await seedSentMessage(a.tenantId, { id: contact.id, email });
    const l = links(a.tenantId, sent.messageId);
    const token = pathOf(l.clickUrl("https://vendor.example/")).slice("/t/c/".length);
    const parts = token.split(".");
    const otherUrl = [...parts.slice(0, 3), btoa("https://evil.example/").replace(/=+$/, ""), parts[4]].join(".");
    const forgedWithOtherKey = signTrackingToken("another-key-that-is-long-enough", {
      kind: "click",
      tenantId: a.tenantId,
      messageId: sent.messageId,
      url: "https://evil.example/",
    });
    const openToken = pathOf(l.openPixelUrl)
      .slice("/t/o/".length)
      .replace(/\.gif$/, "");
    const javascriptUrl = signTrackingToken(env.SECRETS_KEY, {
      kind: "click",
      tenantId: a.tenantId,
      messageId: sent.messageId,
      url: "javascript:alert(1)",
    });
    for (const bad of [otherUrl, forgedWithOtherKey, openToken, javascriptUrl, `${token}x`, "garbage"]) {
      const response = await SELF.fetch(`https://crm.test/t/c/${bad}`, { redirect: "manual" });
      expect(response.status, bad).toBe(400);
      expect(response.headers.get("location"), bad).toBeNull();
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toContain("This link is not valid");
    }
    expect((await message(a, sent.messageId)).clickCount).toBe(0);
  });
});

describe("unsubscribe", () => {
  it("GET shows a confirm page and changes nothing; the RFC 8058 POST opts out, suppresses, ends enrollments, once", async () => {
    const email = uniqueEmail("unsub");
    const contact = await createContact(a, email);
    const sent = await seedSentMessage(a.tenantId, { id: contact.id, email });
    const path = pathOf(links(a.tenantId, sent.messageId).unsubscribeUrl);

    const shown = await api("GET", path);
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toContain(`Stop emails to ${email}?`);
    expect(page).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("active");

    const notOneClick = await api("POST", path, { rawBody: "hello", headers: { "content-type": "text/plain" } });
    expect(notOneClick.status).toBe(400);
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("active");

    for (let i = 0; i < 2; i++) {
      const done = await api("POST", path, {
        rawBody: "List-Unsubscribe=One-Click",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain(`${email} will not receive these emails again.`);
    }

    const c = await json(await api("GET", `/api/v1/contacts/${contact.id}`, { token: a.accessToken }));
    expect(c.consent.status).toBe("opted_out");
    expect(c.consent.source).toBe(`one_click:${sent.messageId}`);
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({
      status: "exited",
      exit_reason: "unsubscribed",
      next_step_id: null,
      due_at: null,
    });
    const suppressed = await json(
      await api("GET", `/api/v1/suppressions?address=${encodeURIComponent(email.toUpperCase())}`, {
        token: a.accessToken,
      }),
    );
    expect(suppressed.data.map((s: Record<string, unknown>) => [s.address, s.reason, s.source])).toEqual([
      [email, "unsubscribed", `message:${sent.messageId}`],
    ]);
    const m = await message(a, sent.messageId);
    expect(m.unsubscribedAt).not.toBeNull();
    expect(m.events.map((e: { type: string; detail: string }) => [e.type, e.detail])).toEqual([
      ["unsubscribed", "one_click"],
    ]);
    const events = (await domainEventsOf(a.tenantId, "contact.unsubscribed")).filter((e) => e.entityId === contact.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.messageId).toBe(sent.messageId);

    const again = await api("GET", path);
    expect(await again.text()).toContain("You are unsubscribed");
  });

  it("a one-click unsubscribe that fails part way leaves nothing, and the mail client's retry does it all", async () => {
    const email = uniqueEmail("unsub-retry");
    const contact = await createContact(a, email);
    const sent = await seedSentMessage(a.tenantId, { id: contact.id, email });
    const path = pathOf(links(a.tenantId, sent.messageId).unsubscribeUrl);
    const oneClick = () =>
      api("POST", path, {
        rawBody: "List-Unsubscribe=One-Click",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    // The write fails at its suppression: the message must not be stamped without it, or the
    // retry would answer "already unsubscribed" and the address would never be suppressed.
    await env.DB.prepare(
      "create trigger stop_suppressing before insert on suppressions begin select raise(abort, 'stopped'); end",
    ).run();
    try {
      expect((await oneClick()).status).toBe(500);
    } finally {
      await env.DB.prepare("drop trigger stop_suppressing").run();
    }
    expect((await message(a, sent.messageId)).unsubscribedAt).toBeNull();
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("active");

    expect((await oneClick()).status).toBe(200);
    const m = await message(a, sent.messageId);
    expect(m.unsubscribedAt).not.toBeNull();
    expect(m.events.map((e: { type: string }) => e.type)).toEqual(["unsubscribed"]);
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("exited");
    const suppressed = await json(
      await api("GET", `/api/v1/suppressions?address=${encodeURIComponent(email)}`, { token: a.accessToken }),
    );
    expect(suppressed.data.map((s: Record<string, unknown>) => s.reason)).toEqual(["unsubscribed"]);
  });

  it("a tampered unsubscribe token gets a 400 page and changes nothing", async () => {
    const email = uniqueEmail("unsub-bad");
    const contact = await createContact(a, email);
    const sent = await seedSentMessage(a.tenantId, { id: contact.id, email });
    const path = pathOf(links(a.tenantId, sent.messageId).unsubscribeUrl);
    const tampered = flipSignature(path);
    const response = await api("POST", tampered, {
      rawBody: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(400);
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("active");
  });
});

describe("tenant isolation", () => {
  it("a token naming another tenant does not reach this tenant's message; lists and reads stay per tenant", async () => {
    const email = uniqueEmail("iso");
    const contact = await createContact(a, email);
    const sent = await seedSentMessage(a.tenantId, { id: contact.id, email });
    // Validly signed, but for tenant B: B has no such message, so nothing is recorded anywhere.
    await api("GET", pathOf(links(b.tenantId, sent.messageId).openPixelUrl));
    const unsub = await api("POST", pathOf(links(b.tenantId, sent.messageId).unsubscribeUrl), {
      rawBody: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(unsub.status).toBe(404);
    const m = await message(a, sent.messageId);
    expect([m.openCount, m.unsubscribedAt]).toEqual([0, null]);
    expect((await api("GET", `/api/v1/outreach/messages/${sent.messageId}`, { token: b.accessToken })).status).toBe(
      404,
    );
    const listed = await json(
      await api("GET", `/api/v1/outreach/messages?contactId=${contact.id}`, { token: b.accessToken }),
    );
    expect(listed.data).toEqual([]);
    const own = await json(
      await api("GET", `/api/v1/outreach/messages?contactId=${contact.id}`, { token: a.accessToken }),
    );
    expect(own.data.map((x: { id: string }) => x.id)).toEqual([sent.messageId]);
  });
});
