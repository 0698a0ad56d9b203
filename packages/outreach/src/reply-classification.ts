// Built-in reply classification: ordered rules over the reply's own words (quoted history
// removed), each naming why it matched. The AI module may replace it; it stays the default.

export const replyClasses = [
  "interested",
  "not_interested",
  "question",
  "out_of_office",
  "unsubscribe",
  "bounce",
  "referral",
  "other",
] as const;
export type ReplyClass = (typeof replyClasses)[number];

export interface ReplyToClassify {
  subject?: string | null | undefined;
  text?: string | null | undefined;
  from?: string | null | undefined;
}

export interface ReplyClassificationResult {
  classification: ReplyClass;
  /** The rule that matched, readable by a person ("subject says automatic reply"). */
  reason: string;
}

/**
 * The part of a plain-text reply its sender wrote: stops at the usual quote markers
 * ("On … wrote:", "-----Original Message-----", "From: " header blocks) and drops `>` lines.
 */
export function replyOwnText(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const own: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (/^On\b.{0,200}\bwrote:\s*$/i.test(trimmed)) break;
    if (/^-{2,}\s*(Original Message|Forwarded message)\s*-{2,}$/i.test(trimmed)) break;
    if (/^From:\s.+/i.test(trimmed) && own.some((l) => l.trim() !== "")) break;
    if (trimmed.startsWith(">")) continue;
    own.push(line);
  }
  return own.join("\n").trim();
}

interface Rule {
  classification: ReplyClass;
  where: "from" | "subject" | "body";
  pattern: RegExp;
  reason: string;
}

// First match wins: a bounce or an auto-reply is recognised before its words are read as a
// person's, and "not interested" before "interested".
const rules: Rule[] = [
  {
    classification: "bounce",
    where: "from",
    pattern: /^(mailer-daemon|postmaster|mail-daemon)@/i,
    reason: "sent by a mail server (mailer-daemon/postmaster)",
  },
  {
    classification: "bounce",
    where: "subject",
    pattern:
      /\b(undeliverable|undelivered mail|delivery status notification|mail delivery (failed|failure|subsystem)|returned mail|delivery failure)\b/i,
    reason: "subject is a delivery failure notice",
  },
  {
    classification: "out_of_office",
    where: "subject",
    pattern: /\b(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|on vacation|away from (the )?office)\b/i,
    reason: "subject is an automatic reply",
  },
  {
    classification: "out_of_office",
    where: "body",
    pattern:
      /\b(i am|i'm|i will be) (currently )?(out of (the )?office|on (annual |parental |sick )?leave|on vacation|on holiday|away)\b|\blimited access to (my )?e-?mail\b|\bback in the office on\b/i,
    reason: "says the sender is away",
  },
  {
    classification: "unsubscribe",
    where: "body",
    pattern:
      /\b(unsubscribe|remove me|take me off|opt(ed)? out|stop (e-?mailing|contacting|sending)|do not (contact|e-?mail)|don't (contact|e-?mail)|no more e-?mails)\b/i,
    reason: "asks to stop receiving messages",
  },
  {
    classification: "not_interested",
    where: "body",
    pattern:
      /\b(not interested|no thanks|no thank you|not a (good )?fit|not for us|we('re| are) (all )?set|we('re| are) good|not at this time|pass on this|not looking)\b/i,
    reason: "declines",
  },
  {
    classification: "referral",
    where: "body",
    pattern:
      /\b(reach out to|talk to|speak (to|with)|contact|get in touch with|loop(ing)? in|cc'?(ing|ed))\b.{0,80}\b(instead|colleague|the right person|who (handles|owns|looks after|is responsible))|\b(i'm|i am) not the right person\b|\bthe right person (is|would be)\b/i,
    reason: "points to someone else",
  },
  {
    classification: "interested",
    where: "body",
    pattern:
      /\b(interested|sounds (good|great|interesting)|let'?s (talk|chat|meet|connect|set up|schedule)|book a (call|meeting|demo)|set up a (call|meeting|time|demo)|schedule a (call|meeting|demo)|happy to (chat|talk|meet)|send (me )?(more|the details|pricing)|tell me more|i'?d (love|like) to (learn|hear|see|know) more|when are you (free|available))\b/i,
    reason: "shows interest",
  },
  {
    classification: "question",
    where: "body",
    pattern: /\?/,
    reason: "asks a question",
  },
];

/** The class of a reply and why: the first rule that matches, else `other`. */
export function classifyReply(reply: ReplyToClassify): ReplyClassificationResult {
  const values = {
    from: (reply.from ?? "").trim(),
    subject: reply.subject ?? "",
    body: replyOwnText(reply.text ?? ""),
  };
  for (const rule of rules) {
    if (rule.pattern.test(values[rule.where])) return { classification: rule.classification, reason: rule.reason };
  }
  return { classification: "other", reason: "no rule matched" };
}
