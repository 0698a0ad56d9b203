import { inboundEmails, outreachEvents, outreachMessages } from "@crm/db";
import { and, desc, eq, isNotNull, ne, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { clip, item, olderThan, type Position, type Source } from "./sources";
import { replyAiClass } from "../ai/outputs";

/**
 * A contact's outreach on its timeline: each email sent (opens and clicks summed up on it,
 * not one entry per pixel load), each reply received (bounce reports excluded: the bounce
 * has its own entry), and each bounce.
 */
export function outreachSources(
  ctx: TenantContext,
  contactId: string,
  position: Position | undefined,
  take: number,
): Source[] {
  const select = ctx.db.selectQuery.bind(ctx.db);
  const m = outreachMessages;
  const r = inboundEmails;
  const e = outreachEvents;
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return [
    {
      types: ["email_sent"],
      query: select(m, {
        where: and(
          eq(m.contactId, contactId),
          eq(m.status, "sent"),
          isNotNull(m.sentAt),
          olderThan(m.sentAt, m.id, position),
        ),
        orderBy: [desc(m.sentAt), desc(m.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof m.$inferSelect)[]).map((row) =>
          item("email_sent", row.id, row.sentAt!, null, clip(`Email sent: ${row.subject ?? "(no subject)"}`), {
            messageId: row.id,
            channel: row.channel,
            subject: row.subject,
            toAddress: row.toAddress,
            sequenceId: row.sequenceId,
            campaignId: row.campaignId,
            openCount: row.openCount,
            clickCount: row.clickCount,
            firstOpenedAt: iso(row.firstOpenedAt),
            firstClickedAt: iso(row.firstClickedAt),
            repliedAt: iso(row.repliedAt),
            bouncedAt: iso(row.bouncedAt),
            unsubscribedAt: iso(row.unsubscribedAt),
          }),
        ),
    },
    {
      types: ["email_reply"],
      query: select(r, {
        where: and(eq(r.contactId, contactId), ne(r.classification, "bounce"), olderThan(r.receivedAt, r.id, position)),
        orderBy: [desc(r.receivedAt), desc(r.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof r.$inferSelect)[]).map((row) =>
          item("email_reply", row.id, row.receivedAt, null, clip(`Reply: ${row.subject ?? row.text ?? ""}`), {
            inboundEmailId: row.id,
            messageId: row.messageId,
            fromAddress: row.fromAddress,
            subject: row.subject,
            text: row.text,
            classification: row.classification,
            classificationReason: row.classificationReason,
            ai: replyAiClass(row),
          }),
        ),
    },
    {
      types: ["email_bounced"],
      query: select(e, {
        // The contact's events by (tenant, contact, occurred_at), bounces only.
        where: and(eq(e.contactId, contactId), sql`${e.type} = 'bounced'`, olderThan(e.occurredAt, e.id, position)),
        orderBy: [desc(e.occurredAt), desc(e.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof e.$inferSelect)[]).map((row) =>
          item("email_bounced", row.id, row.occurredAt, null, clip(`Email bounced: ${row.detail ?? ""}`), {
            messageId: row.messageId,
            diagnostic: row.detail,
          }),
        ),
    },
  ];
}
