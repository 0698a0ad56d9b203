// Domain event types, shared by the API (which publishes and validates them) and the dashboard
// (whose webhook form offers them).

/** The records whose creation, update and deletion are published as domain events. */
export const eventRecordTypes = ["contact", "company", "lead", "deal", "task", "note", "activity"] as const;
export type EventRecordType = (typeof eventRecordTypes)[number];

const lifecycle = ["created", "updated", "deleted"] as const;

/**
 * Every event type a subscription may name (plus `*` for all). `webhook.test` is sent only
 * by the test endpoint; `workflow.failed` when a workflow run fails. Later modules add theirs here.
 */
export const domainEventTypes = [
  ...eventRecordTypes.flatMap((record) => lifecycle.map((verb) => `${record}.${verb}` as const)),
  "deal.stage_changed",
  "deal.won",
  "deal.lost",
  "lead.converted",
  "import.completed",
  "workflow.failed",
  "email.sent",
  "email.opened",
  "email.clicked",
  "email.replied",
  "email.bounced",
  "contact.unsubscribed",
  "sentiment.negative",
  "webhook.test",
] as const;
export type DomainEventType = (typeof domainEventTypes)[number];
