import { createDb, newId } from "@crm/db";
import { type InboundMail, type InboundOutcome, receiveInboundEmail, resumeInboundEmail } from "@crm/services";
import PostalMime, { type Email } from "postal-mime";
import type { Bindings } from "../env";
import type { BatchFollowUps } from "../jobs/handlers";
import type { JobMessage } from "../jobs/messages";
import { aiProvidersOf } from "../lib/ai";
import { queueEventDispatch } from "../lib/queue-event-dispatch";

const reportTypes = new Set([
  "message/delivery-status",
  "message/rfc822",
  "text/rfc822-headers",
  "message/rfc822-headers",
]);

/** The parsed message in the shape the inbound service takes. */
export function inboundMailFrom(email: Email, envelope: { from: string; to: string }, receivedAt: Date): InboundMail {
  const recipients = [...(email.to ?? []), ...(email.cc ?? [])].flatMap((a) =>
    "group" in a && a.group ? a.group.map((member) => member.address) : [a.address],
  );
  if (email.deliveredTo) recipients.push(email.deliveredTo);
  return {
    envelopeFrom: envelope.from,
    envelopeTo: envelope.to,
    from: email.from && "address" in email.from ? (email.from.address ?? null) : null,
    recipients: recipients.filter((a): a is string => typeof a === "string"),
    subject: email.subject ?? null,
    text: email.text ?? null,
    html: email.html ?? null,
    messageId: email.messageId ? email.messageId.replace(/^<|>$/g, "").trim() || null : null,
    inReplyTo: email.inReplyTo ?? null,
    references: email.references ?? null,
    reportParts: email.attachments
      .filter((a) => reportTypes.has(a.mimeType.toLowerCase()))
      .map((a) => ({
        mimeType: a.mimeType.toLowerCase(),
        content: typeof a.content === "string" ? a.content : new TextDecoder().decode(a.content),
      })),
    receivedAt,
  };
}

/**
 * The Worker's email() handler: Email Routing delivers replies to reply+<token>@INBOUND_DOMAIN
 * (and bounce reports) here. A mail that answers none of our messages is rejected, so its
 * sender's server tells them it was not delivered rather than it vanishing.
 */
export async function handleInboundEmail(
  message: ForwardableEmailMessage,
  env: Bindings,
  ctx: ExecutionContext,
  now = new Date(),
): Promise<InboundOutcome> {
  const requestId = newId("request");
  const email = await PostalMime.parse(message.raw, { attachmentEncoding: "utf8" });
  let recorded = false;
  const outcome = await receiveInboundEmail(
    createDb(env.DB),
    inboundMailFrom(email, { from: message.from, to: message.to }, now),
    requestId,
    () => {
      recorded = true;
    },
    aiProvidersOf(env, requestId),
  );
  if (outcome.status === "unmatched") {
    message.setReject("No conversation matches this address");
    return outcome;
  }
  console.log(
    JSON.stringify({
      level: "info",
      requestId,
      message: `inbound ${outcome.status}: ${outcome.classification.classification} (${outcome.effect})`,
      tenantId: outcome.tenantId,
      inboundEmailId: outcome.inboundEmailId,
    }),
  );
  if (recorded) ctx.waitUntil(queueEventDispatch(env, outcome.tenantId, requestId));
  return outcome;
}

/**
 * The sweep's job: a reply stored by a delivery that stopped before acting on it (its claim
 * has run out) is acted on now, from what was stored, exactly once.
 */
export async function resumeInboundReply(
  message: Extract<JobMessage, { type: "inbound.resume" }>,
  env: Bindings,
  followUps?: BatchFollowUps,
): Promise<void> {
  const requestId = newId("request");
  let recorded = false;
  const outcome = await resumeInboundEmail(
    createDb(env.DB),
    message.tenantId,
    message.inboundEmailId,
    new Date(message.at),
    requestId,
    () => {
      recorded = true;
    },
    aiProvidersOf(env, requestId),
  );
  if (outcome && outcome.status !== "unmatched")
    console.log(
      JSON.stringify({
        level: "info",
        requestId,
        message: `inbound resumed: ${outcome.classification.classification} (${outcome.effect})`,
        tenantId: outcome.tenantId,
        inboundEmailId: outcome.inboundEmailId,
      }),
    );
  if (!recorded) return;
  if (followUps) followUps.dispatchEvents(message.tenantId);
  else await queueEventDispatch(env, message.tenantId, requestId);
}
