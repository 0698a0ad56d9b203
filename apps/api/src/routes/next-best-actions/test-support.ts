import { activities, inboundEmails, newId, pipelineStages, tasks } from "@crm/db";
import { eq } from "drizzle-orm";
import { dbOf, insertDeal } from "../tasks/test-support";

export const dayMs = 86_400_000;
/** `days` whole days and an hour before now: whole-day counts come out as `days` whatever the clock. */
export const daysAgo = (days: number) => new Date(Date.now() - days * dayMs - 3_600_000);

/**
 * A deal in "Proposal Sent" (follow up after 5 days) for 30 days, whose last call was 12 days
 * ago: 7 days past the follow-up.
 */
export async function insertStalledDeal(tenantId: string, name = "Acme renewal") {
  const { deal, stage } = await insertDeal(tenantId, { name, stageEnteredAt: daysAgo(30), value: 12_000 });
  const db = dbOf(tenantId);
  await db.update(pipelineStages, { followUpDays: 5, probability: 40 }, eq(pipelineStages.id, stage.id));
  const call = await insertActivity(tenantId, "deal", deal.id, daysAgo(12));
  return { deal, stage, call };
}

export async function insertActivity(
  tenantId: string,
  recordType: "contact" | "deal" | "lead",
  recordId: string,
  at: Date,
) {
  return dbOf(tenantId).insert(activities, {
    id: newId("activity"),
    type: "call",
    recordType,
    recordId,
    subject: "Call",
    occurredAt: at,
    actorId: "us_test",
  });
}

export async function insertReply(
  tenantId: string,
  contactId: string | null,
  classification: "question" | "interested" | "unsubscribe" | "out_of_office" | "not_interested",
  at: Date,
  fromAddress = "someone@example.com",
) {
  return dbOf(tenantId).insert(inboundEmails, {
    id: newId("inboundEmail"),
    contactId,
    fromAddress,
    toAddress: "reply@crm.test",
    subject: "Re: hello",
    text: "A reply",
    classification,
    classificationReason: "test",
    receivedAt: at,
  });
}

export async function insertOverdueTask(
  tenantId: string,
  recordType: "contact" | "deal" | "lead",
  recordId: string,
  dueAt: Date,
) {
  return dbOf(tenantId).insert(tasks, {
    id: newId("task"),
    title: "Send the proposal",
    dueAt,
    recordType,
    recordId,
  });
}
