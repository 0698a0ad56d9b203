import { exitEnrollmentsQuery, pauseEnrollmentUntilQuery } from "../enrollments";
import { classifyReply, type ReplyClassificationResult } from "@crm/outreach";
import { type Database, type EnrollmentStatusReason, inboundEmails, newId, outreachMessages, tenantDb } from "@crm/db";
import { and, asc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { TenantContext } from "../../context";
import { domainEventQueries } from "../../events/record";
import { aiOutputRow, insertAiOutputQuery, sentimentQueries } from "../../ai/outputs";
import { type AiProviders, builtinProviders } from "../../ai/providers";
import { type ContactRow, publicContact } from "../../contacts/public";
import { recordBounce, runBatch, unsubscribeMessageRecipient, unsubscribeRecipientQueries } from "./events";
import {
  decideReply,
  enrollmentEffectOf,
  pauseEndOf,
  type ReplyAi,
  type ReplyDecision,
  replyActQueries,
  statusReasonOf,
} from "./reply-actions";
import {
  findContact,
  findMessageById,
  messageDomainEventQueries,
  type OutreachMessageRow,
  outreachEventQuery,
  systemContext,
} from "./shared";

/** What the email() handler hands over: the envelope and the message as postal-mime parsed it. */
export interface InboundMail {
  envelopeFrom: string;
  envelopeTo: string;
  from: string | null;
  /** To, Cc and Delivered-To addresses of the message itself. */
  recipients: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  /** The Message-ID header, without <>. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  /** Parts of a delivery report: message/delivery-status, returned headers or message (as text). */
  reportParts: { mimeType: string; content: string }[];
  receivedAt: Date;
}

export type InboundOutcome =
  | { status: "unmatched" }
  | {
      status: "stored" | "duplicate";
      tenantId: string;
      inboundEmailId: string;
      messageId: string;
      classification: ReplyClassificationResult;
      /** What it did to the message it answers. */
      effect: "replied" | "paused" | "bounced" | "bounce_delayed" | "auto_reply" | "already_recorded";
    };

type ReplyOutcome = Extract<InboundOutcome, { status: "stored" | "duplicate" }>;

// reply+<token>@ (Reply-To), or bounce+<token>@ for a send whose envelope sender (Return-Path)
// points its delivery reports at the inbound domain.
const replyTokenPattern = /\b(?:reply|bounce)\+([A-Za-z0-9_-]{8,})@/gi;
const angleIds = (value: string | null) => [...(value ?? "").matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);

function replyTokensOf(mail: InboundMail): string[] {
  const tokens = new Set<string>();
  for (const address of [mail.envelopeTo, ...mail.recipients]) {
    for (const match of address.matchAll(replyTokenPattern)) tokens.add(match[1]!);
  }
  return [...tokens];
}

/** Message-IDs this mail refers to: its thread headers, and for a bounce the returned message's own. */
function referencedMessageIds(mail: InboundMail): string[] {
  const ids = new Set([...angleIds(mail.inReplyTo), ...angleIds(mail.references)]);
  for (const part of mail.reportParts) {
    for (const match of part.content.matchAll(/^(?:message-id|in-reply-to|references):\s*(.+)$/gim))
      for (const id of angleIds(match[1]!)) ids.add(id);
  }
  if (mail.reportParts.length === 0 && looksLikeBounce(mail)) {
    // Many mailer-daemons quote the returned headers in the body rather than attaching them.
    for (const match of (mail.text ?? "").matchAll(/^\s*message-id:\s*(<[^>]+>)/gim))
      for (const id of angleIds(match[1]!)) ids.add(id);
  }
  return [...ids].slice(0, 50);
}

function looksLikeBounce(mail: InboundMail): boolean {
  return (
    mail.reportParts.some((p) => p.mimeType === "message/delivery-status") ||
    classifyReply({ from: mail.from ?? mail.envelopeFrom, subject: mail.subject, text: "" }).classification === "bounce"
  );
}

/**
 * Which tenant's message an inbound mail answers. Inbound mail arrives without a tenant, so
 * this is the one lookup across tenants: by the reply token (unique), then by Message-ID
 * (ours are globally unique); it returns only the tenant and message ids.
 */
export async function findInboundTarget(
  db: Database,
  refs: { replyTokens: string[]; messageIds: string[] },
): Promise<{ tenantId: string; messageId: string } | null> {
  const m = outreachMessages;
  const columns = { tenantId: m.tenantId, messageId: m.id };
  if (refs.replyTokens.length > 0) {
    const [row] = await db.select(columns).from(m).where(inArray(m.replyToken, refs.replyTokens)).limit(1);
    if (row) return row;
  }
  // Ours are `<message id>@<inbound domain>`: found by the id (the primary key), the whole
  // header compared (another domain's is not ours).
  const ids = refs.messageIds.flatMap((header) =>
    header.indexOf("@") > 0 ? [header.slice(0, header.indexOf("@"))] : [],
  );
  if (ids.length > 0) {
    const [row] = await db
      .select(columns)
      .from(m)
      .where(and(inArray(m.id, ids), inArray(m.messageIdHeader, refs.messageIds)))
      .limit(1);
    if (row) return row;
  }
  return null;
}

interface DeliveryStatus {
  action: string | null;
  status: string | null;
  diagnostic: string | null;
}

/** The first recipient block of a message/delivery-status part (RFC 3464). */
export function parseDeliveryStatus(content: string): DeliveryStatus {
  const field = (name: string) =>
    content
      .match(new RegExp(`^${name}:\\s*(.+(?:\\r?\\n[ \\t].+)*)`, "im"))?.[1]
      ?.replace(/\s+/g, " ")
      .trim() ?? null;
  return {
    action: field("Action")?.toLowerCase() ?? null,
    status: field("Status"),
    diagnostic: field("Diagnostic-Code"),
  };
}

/** A bounce's verdict: permanent (5.x.x, or a mailer-daemon notice without a status), delayed, or transient. */
function bounceVerdict(mail: InboundMail): { kind: "permanent" | "transient" | "delayed"; diagnostic: string } {
  const report = mail.reportParts.find((p) => p.mimeType === "message/delivery-status");
  const status = report ? parseDeliveryStatus(report.content) : null;
  const diagnostic =
    status?.diagnostic ?? status?.status ?? (mail.subject ? `${mail.subject}` : "Delivery failed (no diagnostic)");
  if (status?.action === "delayed") return { kind: "delayed", diagnostic };
  const code = status?.status ?? (mail.text ?? "").match(/\b([45])\.\d{1,3}\.\d{1,3}\b/)?.[0] ?? null;
  return { kind: code?.startsWith("4") ? "transient" : "permanent", diagnostic };
}

/**
 * A stored reply's claim lasts this long: a redelivery of the mail, or the sweep, takes over a
 * reply whose processing has not finished only once its claim is older (the delivery that
 * claimed it stopped), so two deliveries of one mail never both act on it.
 */
export const replyClaimMs = 5 * 60_000;

/**
 * Stores an inbound mail against the message it answers and acts on it: a reply stamps
 * replied_at, ends the enrollment (exit rule onReply) and records `email.replied`; a reply
 * asking to stop also unsubscribes; a bounce report is recorded as the message's bounce; an
 * auto-reply is kept on the timeline and changes nothing else. Stored once per Message-ID,
 * with a claim; the reply's effects are recorded once, with `processed_at`. A delivery that
 * stops after storing the mail is finished by a redelivery after the claim runs out, or by
 * the sweep (`resumeInboundEmail`). Unmatched mail names no tenant and is not stored: the
 * caller rejects it so its sender learns it did not arrive.
 */
export async function receiveInboundEmail(
  db: Database,
  mail: InboundMail,
  requestId: string,
  onEventsRecorded?: () => void,
  providers: AiProviders = builtinProviders,
): Promise<InboundOutcome> {
  const target = await findInboundTarget(db, {
    replyTokens: replyTokensOf(mail),
    messageIds: referencedMessageIds(mail),
  });
  if (!target) return { status: "unmatched" };
  const ctx = systemContext(tenantDb(db, target.tenantId), "inbound-email", requestId, onEventsRecorded);
  const message = (await findMessageById(ctx, target.messageId))!;
  const from = mail.from ?? mail.envelopeFrom;
  const bounce = looksLikeBounce(mail);
  const byHeaders = classifyReply({ from, subject: mail.subject, text: "" });
  const classification: ReplyClassificationResult = bounce
    ? byHeaders.classification === "bounce"
      ? byHeaders
      : { classification: "bounce", reason: "a delivery status report" }
    : classifyReply({ from, subject: mail.subject, text: mail.text ?? htmlToText(mail.html ?? "") });

  const id = newId("inboundEmail");
  const [stored] = await ctx.db
    .insertQuery(inboundEmails, {
      id,
      messageId: message.id,
      contactId: message.contactId,
      enrollmentId: message.enrollmentId,
      fromAddress: from.slice(0, 320),
      toAddress: mail.envelopeTo.slice(0, 320),
      subject: mail.subject?.slice(0, 998) ?? null,
      text: mail.text,
      html: mail.html,
      messageIdHeader: mail.messageId,
      inReplyTo: angleIds(mail.inReplyTo)[0] ?? null,
      classification: classification.classification,
      classificationReason: classification.reason,
      receivedAt: mail.receivedAt,
      claimedAt: mail.receivedAt,
      // A bounce report's effects are each conditional and redone by a redelivery; the
      // report's parts are not stored, so there is nothing for the sweep to finish.
      processedAt: bounce ? mail.receivedAt : null,
      createdAt: mail.receivedAt,
    })
    .onConflictDoNothing()
    .returning({ id: inboundEmails.id });
  const earlier = stored
    ? undefined
    : await ctx.db.findFirst(inboundEmails, eq(inboundEmails.messageIdHeader, mail.messageId ?? ""));
  const inboundEmailId = stored?.id ?? earlier?.id ?? id;
  const base = {
    tenantId: target.tenantId,
    inboundEmailId,
    messageId: message.id,
    classification,
    status: stored ? ("stored" as const) : ("duplicate" as const),
  };

  if (bounce) {
    const verdict = bounceVerdict(mail);
    if (verdict.kind === "delayed") return { ...base, effect: "bounce_delayed" };
    const result = await recordBounce(ctx, message.id, {
      permanent: verdict.kind === "permanent",
      diagnostic: verdict.diagnostic,
      at: mail.receivedAt,
    });
    return { ...base, effect: result?.recorded ? "bounced" : "already_recorded" };
  }
  // A redelivery of a reply whose processing has not finished takes it over only when the
  // delivery that claimed it has stopped; while that one may still be at work, it leaves it.
  const owned =
    stored !== undefined ||
    (earlier !== undefined && earlier.processedAt === null && (await claimReply(ctx, earlier.id, mail.receivedAt)));
  if (!owned && earlier?.processedAt === null) return { ...base, effect: "already_recorded" };
  return actOnReply(ctx, providers, requestId, base, {
    message,
    inboundEmailId,
    ruleClass: classification,
    from,
    subject: mail.subject,
    text: mail.text ?? htmlToText(mail.html ?? ""),
    // The reply arrived when it was first stored; a redelivery is the same reply.
    receivedAt: earlier?.receivedAt ?? mail.receivedAt,
    fresh: stored !== undefined,
    owned,
  });
}

/**
 * Takes a stored reply over for processing: only while it is unprocessed and its claim is
 * older than replyClaimMs. True when this caller now holds it.
 */
async function claimReply(ctx: TenantContext, inboundEmailId: string, at: Date): Promise<boolean> {
  const e = inboundEmails;
  const [claimed] = await ctx.db
    .updateQuery(
      e,
      { claimedAt: at },
      and(
        eq(e.id, inboundEmailId),
        isNull(e.processedAt),
        or(isNull(e.claimedAt), lt(e.claimedAt, new Date(at.getTime() - replyClaimMs))),
      )!,
    )
    .returning({ id: e.id });
  return claimed !== undefined;
}

const markProcessedQuery = (ctx: TenantContext, inboundEmailId: string, at: Date) =>
  ctx.db.updateQuery(
    inboundEmails,
    { processedAt: at },
    and(eq(inboundEmails.id, inboundEmailId), isNull(inboundEmails.processedAt))!,
  );

/**
 * Finishes a stored reply whose processing stopped part way (the sweep's job): claims it and
 * acts on it from what was stored, as its first delivery would have. Null when there is
 * nothing to do (processed meanwhile, claimed by a live delivery, a bounce, gone).
 */
export async function resumeInboundEmail(
  db: Database,
  tenantId: string,
  inboundEmailId: string,
  at: Date,
  requestId: string,
  onEventsRecorded?: () => void,
  providers: AiProviders = builtinProviders,
): Promise<InboundOutcome | null> {
  const ctx = systemContext(tenantDb(db, tenantId), "inbound-email", requestId, onEventsRecorded);
  const row = await ctx.db.findFirst(inboundEmails, eq(inboundEmails.id, inboundEmailId));
  if (!row || row.processedAt !== null || row.classification === "bounce" || !row.messageId) return null;
  const message = await findMessageById(ctx, row.messageId);
  if (!message || !(await claimReply(ctx, row.id, at))) return null;
  const ruleClass: ReplyClassificationResult = {
    classification: row.classification,
    reason: row.classificationReason,
  };
  return actOnReply(
    ctx,
    providers,
    requestId,
    { tenantId, inboundEmailId: row.id, messageId: message.id, classification: ruleClass, status: "stored" },
    {
      message,
      inboundEmailId: row.id,
      ruleClass,
      from: row.fromAddress,
      subject: row.subject,
      text: row.text ?? htmlToText(row.html ?? ""),
      receivedAt: row.receivedAt,
      fresh: false,
      owned: true,
    },
  );
}

/** Stored replies left unprocessed past their claim, oldest claim first, across tenants (the sweep's read). */
export async function findUnprocessedReplies(
  db: Database,
  now: Date,
  limit = 100,
): Promise<{ tenantId: string; inboundEmailId: string }[]> {
  const e = inboundEmails;
  return db
    .select({ tenantId: e.tenantId, inboundEmailId: e.id })
    .from(e)
    .where(and(isNull(e.processedAt), lt(e.claimedAt, new Date(now.getTime() - replyClaimMs))))
    .orderBy(asc(e.claimedAt))
    .limit(limit);
}

/**
 * The reply's effects, from its rule class and AI reading. `owned`: this caller stores its
 * effects once (the first delivery, or whoever took it over); otherwise (a redelivery of a
 * processed mail) only the effects not yet recorded, each conditional, are redone.
 */
async function actOnReply(
  ctx: TenantContext,
  providers: AiProviders,
  requestId: string,
  base: Omit<ReplyOutcome, "effect">,
  reply: {
    message: OutreachMessageRow;
    inboundEmailId: string;
    ruleClass: ReplyClassificationResult;
    from: string;
    subject: string | null;
    text: string;
    receivedAt: Date;
    /** Stored by this delivery: nothing was read or done about it before. */
    fresh: boolean;
    owned: boolean;
  },
): Promise<InboundOutcome> {
  const { message, inboundEmailId, from, text, receivedAt, owned } = reply;
  // A reading stored before (the first attempt got that far, or a redelivery) is used as it is.
  const before = reply.fresh ? null : await storedReading(ctx, inboundEmailId);
  // The AI reading is extra: a failure is logged and the reply is still acted on.
  const ai =
    owned && !before
      ? await analyseReply(ctx, providers, {
          inboundEmailId,
          contactId: message.contactId,
          from,
          subject: reply.subject,
          text,
          receivedAt,
        }).catch((error: unknown) => {
          console.error(
            JSON.stringify({
              level: "error",
              requestId,
              message: "AI analysis of an inbound reply failed",
              inboundEmailId,
              error: error instanceof Error ? error.message : String(error),
            }),
          );
          return null;
        })
      : null;
  const reading = ai ?? before;
  const ruleClass = reply.ruleClass.classification;
  const decision = decideReply(ruleClass, reading, { from, subject: reply.subject, text, receivedAt });
  const enrollmentEffect = enrollmentEffectOf(decision.action.type);
  const reason = (description: string) => statusReasonOf(decision, inboundEmailId, ruleClass, description);
  // A reply the rules read as a request to stop is honoured whatever else the AI made of it.
  const unsubscribe = enrollmentEffect === "unsubscribe" || ruleClass === "unsubscribe";
  // Written with the reply's last batch by whoever acts on it, so its effects are recorded once.
  const processed: BatchItem<"sqlite">[] = owned ? [markProcessedQuery(ctx, inboundEmailId, receivedAt)] : [];

  if (!unsubscribe && enrollmentEffect === "none") {
    await runBatch(ctx, processed);
    return { ...base, effect: "auto_reply" };
  }
  if (!unsubscribe && enrollmentEffect === "pause") {
    const until = pauseEndOf(decision, receivedAt);
    const pause: BatchItem<"sqlite">[] = message.enrollmentId
      ? [
          pauseEnrollmentUntilQuery(
            ctx,
            message.enrollmentId,
            until,
            reason(`Paused until ${until.toISOString().slice(0, 10)}: ${decision.action.description}`),
            receivedAt,
          ),
        ]
      : [];
    await runBatch(ctx, [...pause, ...processed]);
    return { ...base, effect: message.enrollmentId ? "paused" : "auto_reply" };
  }
  if (!unsubscribe && enrollmentEffect === "invalid_address") {
    const result = await recordBounce(ctx, message.id, {
      permanent: true,
      diagnostic: `${decision.action.description} (reply ${inboundEmailId})`,
      at: receivedAt,
    });
    await runBatch(ctx, processed);
    return { ...base, effect: result?.recorded ? "bounced" : "already_recorded" };
  }

  const contact = await findContact(ctx, message.contactId);
  // The CRM acts run once, in the reply's batch, with whoever acts on the mail.
  const acts =
    owned && !unsubscribe
      ? await replyActQueries(ctx, decision, message, contact, {
          inboundEmailId,
          subject: reply.subject,
          at: receivedAt,
        }).catch((error: unknown) => {
          console.error(
            JSON.stringify({
              level: "error",
              requestId,
              message: "A reply's suggested action could not be prepared",
              inboundEmailId,
              error: error instanceof Error ? error.message : String(error),
            }),
          );
          return null;
        })
      : null;
  const done = acts?.done.length ? ` Done: ${acts.done.join("; ")}.` : "";
  const unsubscribeReason = reason(
    enrollmentEffect === "unsubscribe"
      ? `Exited: the contact asked to unsubscribe. ${decision.action.description}`
      : "Exited: the rules read the reply as a request to unsubscribe, which always stops sending.",
  );
  const replied = await recordReply(
    ctx,
    message,
    { inboundEmailId, classification: reply.ruleClass, from, subject: reply.subject, ai: reading, decision },
    receivedAt,
    {
      owned,
      contact,
      // An unsubscribe ends every enrollment of the contact (in acts), with its own reason.
      exitReason: unsubscribe ? null : reason(`Exited: ${decision.action.description}${done}`),
      // Marked processed with the reply's own batch: its events and acts are recorded once.
      // Whoever acts on the reply unsubscribes in the reply's own batch (after the reply's
      // event): a Worker stopped part way cannot leave it processed and the sender enrolled.
      acts: () => [
        ...(acts?.queries ?? []),
        ...(owned && unsubscribe
          ? unsubscribeRecipientQueries(ctx, message, contact, receivedAt, "reply", unsubscribeReason)
          : []),
        ...processed,
      ],
    },
  );
  // A redelivery of a reply processed before this batch held the unsubscribe finishes it
  // (conditional on the message's own stamp).
  if (unsubscribe && !owned) await unsubscribeMessageRecipient(ctx, message.id, receivedAt, "reply", unsubscribeReason);
  return { ...base, effect: replied ? "replied" : "already_recorded" };
}

/** The AI reading stored with an inbound email (null when it was never read). */
async function storedReading(ctx: TenantContext, inboundEmailId: string): Promise<ReplyAi | null> {
  const row = await ctx.db.findFirst(inboundEmails, eq(inboundEmails.id, inboundEmailId));
  if (!row?.aiClassification || !row.aiSuggestedAction || !row.aiOutputId) return null;
  return {
    classification: row.aiClassification,
    confidence: row.aiConfidence ?? 0,
    suggestedAction: row.aiSuggestedAction,
    aiOutputId: row.aiOutputId,
  };
}

/**
 * replied_at (first reply only), the `replied` event, the enrollment's end (with the class
 * and action behind it), `email.replied` and the reply's CRM acts, in one batch. A new reply
 * mail records `email.replied` even when the message was answered before; a redelivered one
 * records nothing. `email.replied` is about the contact (entity `contact`, the contact's
 * fields plus `reply`), so contact workflows can trigger on it; without a contact it is
 * about the message.
 */
async function recordReply(
  ctx: TenantContext,
  message: OutreachMessageRow,
  reply: {
    inboundEmailId: string;
    classification: ReplyClassificationResult;
    from: string;
    subject: string | null;
    ai: ReplyAi | null;
    decision: ReplyDecision;
  },
  at: Date,
  options: {
    /** This caller acts on the mail (false: a redelivery of a processed mail). */
    owned: boolean;
    contact: ContactRow | undefined;
    exitReason: EnrollmentStatusReason | null;
    /** The rest of the batch, made after the reply's own rows (their ids are in time order). */
    acts: () => BatchItem<"sqlite">[];
  },
): Promise<boolean> {
  const m = outreachMessages;
  // The first reply to the message stamps it in the same batch as everything else: a Worker
  // stopped before the batch leaves nothing, and whoever takes the reply over writes it all.
  const first = message.repliedAt === null;
  if (!first && !options.owned) return false;
  const answered: OutreachMessageRow = first ? { ...message, repliedAt: at, updatedAt: at } : message;
  const detail = {
    inboundEmailId: reply.inboundEmailId,
    classification: reply.classification.classification,
    classificationReason: reply.classification.reason,
    from: reply.from,
    subject: reply.subject,
    // The AI engine's class and suggested action, for workflows and webhook consumers.
    ai: reply.ai,
    // What was done about it: the class and action that decided, and whose reading they are.
    decision: {
      decidedBy: reply.decision.decidedBy,
      classification: reply.decision.classification,
      action: reply.decision.action.type,
    },
  };
  const queries: BatchItem<"sqlite">[] = [];
  if (first) {
    queries.push(
      ctx.db.updateQuery(m, { repliedAt: at, updatedAt: at }, and(eq(m.id, message.id), isNull(m.repliedAt))!),
      outreachEventQuery(ctx, answered, "replied", at, reply.classification.classification),
    );
  }
  if (answered.enrollmentId && options.exitReason)
    queries.push(exitEnrollmentsQuery(ctx, { enrollmentId: answered.enrollmentId }, "replied", at, options.exitReason));
  const contact = options.contact;
  if (contact) {
    queries.push(
      ...domainEventQueries(ctx, [
        {
          type: "email.replied",
          entity: "contact",
          entityId: contact.id,
          data: {
            ...publicContact(contact),
            reply: {
              ...detail,
              messageId: answered.id,
              sequenceId: answered.sequenceId,
              campaignId: answered.campaignId,
              enrollmentId: answered.enrollmentId,
            },
          },
          previous: null,
        },
      ]),
    );
  } else {
    queries.push(...messageDomainEventQueries(ctx, "email.replied", answered, { reply: detail }));
  }
  queries.push(...options.acts());
  await runBatch(ctx, queries);
  return true;
}

/**
 * The AI engine's reading of a new reply: its class, confidence and suggested action (stored
 * on the inbound email beside the rule class, with an ai_outputs row for the why) and its
 * sentiment (a negative one notifies the contact's owner and records `sentiment.negative`).
 * One batch, run once: a redelivered mail is not stored again.
 */
async function analyseReply(
  ctx: TenantContext,
  providers: AiProviders,
  reply: {
    inboundEmailId: string;
    contactId: string | null;
    from: string;
    subject: string | null;
    text: string;
    receivedAt: Date;
  },
) {
  const subject = { type: "inbound_email" as const, id: reply.inboundEmailId };
  const classified = await providers.classifyReply.classify({
    from: reply.from,
    subject: reply.subject,
    text: reply.text,
    receivedAt: reply.receivedAt,
  });
  const classOutput = aiOutputRow(ctx, subject, "reply_classification", classified, reply.receivedAt);
  const action = classified.result.action;
  const readings: ReplyAi = {
    classification: classified.result.classification,
    confidence: classified.result.confidence,
    suggestedAction: {
      type: action.type,
      description: action.description,
      ...(action.resumeOn ? { resumeOn: action.resumeOn } : {}),
      ...(action.referredContact ? { referredContact: action.referredContact } : {}),
    },
    aiOutputId: classOutput.id,
  };
  const queries: BatchItem<"sqlite">[] = [
    insertAiOutputQuery(ctx, classOutput),
    ctx.db.updateQuery(
      inboundEmails,
      {
        aiClassification: readings.classification,
        aiConfidence: readings.confidence,
        aiSuggestedAction: readings.suggestedAction,
        aiOutputId: readings.aiOutputId,
      },
      eq(inboundEmails.id, reply.inboundEmailId),
    ),
  ];
  // The sender's own words: quoted history is our message, not their mood.
  const ownText = classified.result.ownText.trim() || reply.text;
  if (ownText.trim() !== "") {
    const sentiment = await providers.sentiment.analyse(ownText);
    const contact = reply.contactId ? await findContact(ctx, reply.contactId) : undefined;
    const stored = await sentimentQueries(
      ctx,
      { ...subject, text: ownText, record: contact ? { type: "contact", id: contact.id } : null },
      sentiment,
    );
    queries.push(...stored.queries);
  }
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return readings;
}

/** Plain text of an HTML-only reply, for classification. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>|<\/p>/gi, "\n")
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .trim();
}
