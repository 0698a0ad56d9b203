import { typeidUnboxed } from "typeid-js";

/** Type prefixes: an id tells what it names (`ct_01jc…` is a contact). Sortable by creation. */
export const idPrefixes = {
  tenant: "tn",
  user: "us",
  refreshToken: "rt",
  passwordReset: "pr",
  invitation: "inv",
  apiKey: "key",
  audit: "aud",
  outbox: "msg",
  deadLetter: "dlq",
  request: "req",
  contact: "ct",
  company: "co",
  lifecycleChange: "lch",
  task: "task",
  note: "note",
  activity: "act",
  customField: "cf",
  savedView: "view",
  pipeline: "pl",
  pipelineStage: "stg",
  deal: "deal",
  dealStageChange: "dsh",
  lead: "lead",
  leadStageChange: "lsh",
  import: "imp",
  domainEvent: "evt",
  webhook: "wh",
  webhookDelivery: "whmsg",
  webhookAttempt: "wha",
  workflow: "wf",
  workflowVersion: "wfv",
  workflowExecution: "wfx",
  workflowStep: "wfs",
  notification: "ntf",
  mailbox: "mbx",
  sequence: "seq",
  sequenceStep: "sqs",
  enrollment: "enr",
  outreachMessage: "om",
  outreachEvent: "oev",
  inboundEmail: "inb",
  suppression: "sup",
  campaign: "cmp",
  twilioAccount: "twa",
} as const;

export type IdKind = keyof typeof idPrefixes;

export function newId(kind: IdKind): string {
  // The string form straight away: typeid() builds it, then parses and checks it again.
  return typeidUnboxed(idPrefixes[kind]);
}
