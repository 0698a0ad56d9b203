import { replyAiClass } from "../../ai/outputs";
import { inboundEmails, outreachEvents, outreachMessages, type OutreachMessageStatus } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { TenantContext } from "../../context";
import { publicOutreachEvent, publicOutreachMessage } from "./shared";

export interface OutreachMessageFilters {
  status?: OutreachMessageStatus | undefined;
  sequenceId?: string | undefined;
  campaignId?: string | undefined;
  contactId?: string | undefined;
}

/** The outbox: messages sent, queued, failed or skipped, newest first (without bodies). */
export async function listOutreachMessages(
  ctx: TenantContext,
  filters: OutreachMessageFilters,
  page: { limit: number; cursor?: string | undefined },
) {
  const m = outreachMessages;
  const rows = await ctx.db.findMany(m, {
    where: and(
      page.cursor ? lt(m.id, page.cursor) : undefined,
      filters.status ? eq(m.status, filters.status) : undefined,
      filters.sequenceId ? eq(m.sequenceId, filters.sequenceId) : undefined,
      filters.campaignId ? eq(m.campaignId, filters.campaignId) : undefined,
      filters.contactId ? eq(m.contactId, filters.contactId) : undefined,
    ),
    orderBy: desc(m.id),
    limit: page.limit + 1,
  });
  const data = rows.slice(0, page.limit).map((row) => {
    const { text: _text, html: _html, ...summary } = publicOutreachMessage(row);
    return summary;
  });
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

/** One message with its body, its tracking events in time order and the replies it received. */
export async function getOutreachMessage(ctx: TenantContext, id: string) {
  const row = await ctx.db.findFirst(outreachMessages, eq(outreachMessages.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Outreach message ${id} was not found`);
  const [events, replies] = await Promise.all([
    ctx.db.findMany(outreachEvents, {
      where: eq(outreachEvents.messageId, id),
      orderBy: [asc(outreachEvents.occurredAt), asc(outreachEvents.id)],
      limit: 500,
    }),
    ctx.db.findMany(inboundEmails, {
      where: eq(inboundEmails.messageId, id),
      orderBy: asc(inboundEmails.receivedAt),
      limit: 100,
    }),
  ]);
  return {
    ...publicOutreachMessage(row),
    events: events.map(publicOutreachEvent),
    replies: replies.map((r) => ({
      id: r.id,
      fromAddress: r.fromAddress,
      subject: r.subject,
      text: r.text,
      classification: r.classification,
      classificationReason: r.classificationReason,
      ai: replyAiClass(r),
      receivedAt: r.receivedAt.toISOString(),
    })),
  };
}
