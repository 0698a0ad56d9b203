import { createHmac, timingSafeEqual } from "node:crypto";
import { mailboxes, outreachMessages } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq } from "drizzle-orm";
import type { TenantContext } from "../../context";
import { recordBounce } from "./events";

// Postmark's bounce webhook (POST, JSON, documented fields below), one URL per mailbox:
// /hooks/postmark/<mailboxId>?token=<tenantId>.<signature>. The token is derived (HMAC under
// SECRETS_KEY), so nothing is stored and the URL shown in the dashboard is always the same.

function hookSignature(secret: string, tenantId: string, mailboxId: string): string {
  return createHmac("sha256", secret)
    .update(`crm-postmark-hook:v1:${tenantId}:${mailboxId}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

export function postmarkBounceHookUrl(
  deps: { secretsKey: string; publicApiUrl: string },
  mailbox: { tenantId: string; id: string },
): string {
  const token = `${mailbox.tenantId}.${hookSignature(deps.secretsKey, mailbox.tenantId, mailbox.id)}`;
  return `${deps.publicApiUrl.replace(/\/+$/, "")}/hooks/postmark/${mailbox.id}?token=${token}`;
}

/** The tenant a hook token was made for, or null when it was not made for this mailbox under this key. */
export function verifyPostmarkHookToken(secret: string, mailboxId: string, token: string): string | null {
  const [tenantId, signature, extra] = token.split(".");
  if (!tenantId || !signature || extra !== undefined || !/^[a-z]+_[0-9a-z]+$/.test(tenantId)) return null;
  const given = Buffer.from(signature, "utf8");
  const expected = Buffer.from(hookSignature(secret, tenantId, mailboxId), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected) ? tenantId : null;
}

/** The fields of Postmark's bounce webhook this uses. */
export interface PostmarkBounce {
  RecordType: string;
  Type?: string | undefined;
  MessageID?: string | undefined;
  Email?: string | undefined;
  BouncedAt?: string | undefined;
  Description?: string | undefined;
  Details?: string | undefined;
  Inactive?: boolean | undefined;
}

/** Postmark bounce types that are not a failed delivery (auto-replies, delays, notices). */
const notBounces = new Set([
  "Transient",
  "AutoResponder",
  "Subscribe",
  "Unsubscribe",
  "AddressChange",
  "OpenRelayTest",
  "ChallengeVerification",
  "VirusNotification",
  "SpamNotification",
]);
/** Permanent: Postmark deactivated the address, or the type says the address cannot receive mail. */
const permanentTypes = new Set(["HardBounce", "BadEmailAddress", "ManuallyDeactivated"]);

export type PostmarkBounceOutcome = "recorded" | "already_recorded" | "ignored";

/**
 * A Postmark bounce for a message sent through this mailbox: recorded as the message's
 * bounce (permanent when Postmark deactivated the address). Non-bounce records and messages
 * we do not know are acknowledged and ignored, so Postmark does not retry them.
 */
export async function receivePostmarkBounce(
  ctx: TenantContext,
  mailboxId: string,
  bounce: PostmarkBounce,
): Promise<{ outcome: PostmarkBounceOutcome; messageId: string | null }> {
  const mailbox = await ctx.db.findFirst(mailboxes, eq(mailboxes.id, mailboxId));
  if (!mailbox) throw new ApiError("NOT_FOUND", `Mailbox ${mailboxId} was not found`);
  if (bounce.RecordType !== "Bounce" || !bounce.MessageID || notBounces.has(bounce.Type ?? "")) {
    return { outcome: "ignored", messageId: null };
  }
  const message = await ctx.db.findFirst(
    outreachMessages,
    and(eq(outreachMessages.mailboxId, mailboxId), eq(outreachMessages.providerMessageId, bounce.MessageID))!,
  );
  if (!message) return { outcome: "ignored", messageId: null };
  const at = bounce.BouncedAt && !Number.isNaN(Date.parse(bounce.BouncedAt)) ? new Date(bounce.BouncedAt) : new Date();
  const diagnostic = [bounce.Type, bounce.Description, bounce.Details].filter(Boolean).join(": ");
  const result = await recordBounce(ctx, message.id, {
    permanent: bounce.Inactive === true || permanentTypes.has(bounce.Type ?? ""),
    diagnostic: diagnostic || "Postmark bounce",
    at,
  });
  return { outcome: result?.recorded ? "recorded" : "already_recorded", messageId: message.id };
}
