import { type Database, newId, outreachEvents, outreachMessages, tenantDb } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, isNull, ne } from "drizzle-orm";
import { openSecret } from "../../crypto/sealed-secrets";
import { twilioAccountFor } from "./accounts";
import { twilioTokenBinding } from "./channel-sender";
import { verifyTwilioSignature } from "./signature";

/** Message statuses (SMS/WhatsApp) and call statuses that end in delivery or failure. */
const deliveredStatuses = new Set(["delivered", "read", "completed"]);
const failedStatuses = new Set(["failed", "undelivered", "busy", "no-answer", "canceled"]);

export interface TwilioCallback {
  tenantId: string;
  /** The full URL Twilio called, query included: it is part of the signature. */
  url: string;
  params: Record<string, string>;
  signature: string | undefined;
}

export type TwilioCallbackOutcome = "delivered" | "failed" | "ignored" | "already_recorded";

/**
 * A status callback from Twilio for one outreach message (`?message=<om_…>` in the URL).
 * Verified with the tenant's auth token before anything is read; a repeated callback records
 * nothing twice. Delivered → `delivered_at` + a `delivered` event; failed, undelivered, busy,
 * no-answer, canceled → status `failed` with Twilio's error code + a `failed` event.
 */
export async function applyTwilioStatusCallback(
  db: Database,
  secretsKey: string,
  callback: TwilioCallback,
): Promise<TwilioCallbackOutcome> {
  const tdb = tenantDb(db, callback.tenantId);
  const account = await twilioAccountFor({ db: tdb });
  if (!account) throw new ApiError("NOT_FOUND", "No Twilio account is configured here");
  const token = await openSecret(secretsKey, account.sealedAuthToken, twilioTokenBinding(account));
  if (!(await verifyTwilioSignature(token, callback.url, callback.params, callback.signature)))
    throw new ApiError("FORBIDDEN", "The X-Twilio-Signature header does not match this request");

  const messageId = new URL(callback.url).searchParams.get("message") ?? "";
  const sid = callback.params.MessageSid ?? callback.params.CallSid ?? "";
  const message = await tdb.findFirst(outreachMessages, eq(outreachMessages.id, messageId));
  if (!message || (message.providerMessageId !== null && message.providerMessageId !== sid))
    throw new ApiError("NOT_FOUND", `No outreach message ${messageId} was sent as ${sid || "this sid"}`);

  const status = callback.params.MessageStatus ?? callback.params.CallStatus ?? "";
  const now = new Date();
  const event = (type: "delivered" | "failed", detail: string | null) =>
    tdb.insertQuery(outreachEvents, {
      id: newId("outreachEvent"),
      messageId: message.id,
      type,
      contactId: message.contactId,
      campaignId: message.campaignId,
      sequenceId: message.sequenceId,
      detail,
      occurredAt: now,
    });

  if (deliveredStatuses.has(status)) {
    const changed = await tdb.update(
      outreachMessages,
      { deliveredAt: now, updatedAt: now },
      and(eq(outreachMessages.id, message.id), isNull(outreachMessages.deliveredAt))!,
    );
    if (changed.length === 0) return "already_recorded";
    await tdb.batch([event("delivered", status)]);
    return "delivered";
  }
  if (failedStatuses.has(status)) {
    const code = callback.params.ErrorCode;
    const detail = code ? `${status} (Twilio error ${code})` : status;
    const changed = await tdb.update(
      outreachMessages,
      { status: "failed", error: detail, updatedAt: now },
      and(eq(outreachMessages.id, message.id), ne(outreachMessages.status, "failed"))!,
    );
    if (changed.length === 0) return "already_recorded";
    await tdb.batch([event("failed", detail)]);
    return "failed";
  }
  return "ignored";
}
