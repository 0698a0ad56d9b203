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
  aiModel: "aim",
  aiScoreChange: "aish",
  aiRescoreJob: "airs",
  aiOutput: "aio",
  aiAgentDecision: "aid",
  aiAgentRun: "airun",
  aiRecommendation: "airec",
} as const;

export type IdKind = keyof typeof idPrefixes;

/** TypeID's base32 alphabet (Crockford's, lower case). */
const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

/** Random bytes drawn ahead: one getRandomValues call per 512 ids rather than one each. */
const pool = new Uint8Array(4096);
let poolAt = pool.length;
function randomByte(): number {
  if (poolAt === pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

let lastMs = -1;
/** The first 10 characters: exactly the 48-bit millisecond timestamp (after 2 zero bits). */
let msPrefix = "";
/** A 31-bit counter, random at each new millisecond, so ids made in one millisecond still sort in order. */
let sequence = 0;

/**
 * A TypeID suffix: a UUIDv7 (48-bit ms timestamp, version 7, 31-bit sequence, variant, 41
 * random bits) in base32, monotonic as uuid's v7 is. Written out here because typeid-js
 * generated each with its own getRandomValues call, then parsed the result back to check
 * it: ~10% of an import chunk's CPU for the 2-3 ids each imported row takes.
 */
function uuidV7Base32(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    sequence = ((randomByte() << 23) | (randomByte() << 15) | (randomByte() << 7) | (randomByte() >>> 1)) >>> 0;
  } else {
    ms = lastMs;
    sequence = (sequence + 1) >>> 0;
    // Past 2^31 in one millisecond, borrow the next one (as uuid does).
    if (sequence > 0x7fffffff) {
      ms += 1;
      sequence = 0;
    }
  }
  if (ms !== lastMs) {
    lastMs = ms;
    let prefix = "";
    // 50 bits: 2 zero bits then the 48-bit timestamp, 5 bits per character.
    for (let shift = 45; shift >= 0; shift -= 5) prefix += alphabet[Math.floor(ms / 2 ** shift) % 32];
    msPrefix = prefix;
  }
  // The 80 bits after the timestamp: ver(4) seq(12) | var(2) seq(19) rand(41), as five 16-bit groups.
  const b6 = 0x70 | ((sequence >>> 27) & 0x0f);
  const b7 = (sequence >>> 19) & 0xff;
  const b8 = 0x80 | ((sequence >>> 13) & 0x3f);
  const b9 = (sequence >>> 5) & 0xff;
  const b10 = ((sequence << 3) & 0xf8) | (randomByte() & 0x07);
  const tail = [b6, b7, b8, b9, b10, randomByte(), randomByte(), randomByte(), randomByte(), randomByte()];
  let suffix = msPrefix;
  // 80 bits = 16 characters; 40 bits (5 bytes) are 8 characters, read as two 20-bit halves.
  for (let i = 0; i < 10; i += 5) {
    const high = (tail[i]! << 12) | (tail[i + 1]! << 4) | (tail[i + 2]! >>> 4);
    const low = ((tail[i + 2]! & 0x0f) << 16) | (tail[i + 3]! << 8) | tail[i + 4]!;
    suffix +=
      alphabet[(high >>> 15) & 31]! +
      alphabet[(high >>> 10) & 31]! +
      alphabet[(high >>> 5) & 31]! +
      alphabet[high & 31]! +
      alphabet[(low >>> 15) & 31]! +
      alphabet[(low >>> 10) & 31]! +
      alphabet[(low >>> 5) & 31]! +
      alphabet[low & 31]!;
  }
  return suffix;
}

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${uuidV7Base32()}`;
}
