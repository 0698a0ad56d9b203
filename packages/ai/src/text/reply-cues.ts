// Cue patterns for reply classes, written from how people and mail systems answer outreach.
// Each adds its weight (about log-odds) to its class; the learned model then weighs the cue
// totals together with the reply's words.

export const replyClassNames = [
  "interested",
  "not_interested",
  "question",
  "out_of_office",
  "unsubscribe_request",
  "bounce_auto_reply",
  "referral",
] as const;
export type ReplyClassName = (typeof replyClassNames)[number];

export interface ReplyCue {
  className: ReplyClassName;
  where: "from" | "subject" | "body" | "headers";
  pattern: RegExp;
  weight: number;
  /** Read by a person: "subject says the message was undeliverable". */
  reason: string;
}

const cue = (
  className: ReplyClassName,
  where: ReplyCue["where"],
  weight: number,
  reason: string,
  pattern: RegExp,
): ReplyCue => ({ className, where, pattern, weight, reason });

export const replyCues: readonly ReplyCue[] = [
  // Mail systems: delivery failures and automatic acknowledgements.
  cue("bounce_auto_reply", "from", 5, "sent by a mail server", /^(mailer-daemon|postmaster|mail-daemon|bounces?)@/i),
  cue("bounce_auto_reply", "from", 1.5, "sent from a no-reply address", /^(no-?reply|do-?not-?reply|notifications?)@/i),
  cue(
    "bounce_auto_reply",
    "subject",
    5,
    "subject says the message was not delivered",
    /\b(undeliverable|undelivered|delivery status notification|mail delivery (failed|failure|subsystem)|returned mail|delivery (failure|failed|delayed|has failed)|failure notice|could not be delivered)\b/i,
  ),
  cue(
    "bounce_auto_reply",
    "body",
    4,
    "says the address does not receive mail",
    /\b(address (was )?(not found|couldn't be found|rejected|is disabled)|user unknown|recipient not found|mailbox (unavailable|full|is full)|does not exist|(could not|couldn't|wasn't|was not) (be )?delivered|delivery (has failed|failed|is delayed|has been delayed|to the following recipients)|permanent (fatal )?error|not accepting mail|quota exceeded)\b/i,
  ),
  cue(
    "bounce_auto_reply",
    "body",
    2,
    "quotes an SMTP error code",
    /\b(55[0-4]|45[0-2])[ -](\d\.\d\.\d+)?|\b5\.\d\.\d{1,2}\b/,
  ),
  cue(
    "bounce_auto_reply",
    "body",
    3.5,
    "says it is an automatic message",
    /\b(this is an? (automated|automatic|auto-?generated)( \w+)? (message|response|reply|confirmation|acknowledge?ment)|automatically generated|generated automatically|created automatically|(please )?do not (reply|respond) to this|this mailbox is not monitored|this is an auto-?reply)\b/i,
  ),
  cue(
    "bounce_auto_reply",
    "body",
    3,
    "confirms a support ticket",
    /\b(ticket (number|id|#)|ticket has been created|your (request|ticket) \(?#?\d+|we('ve| have) received your (request|email|message|enquiry)|has been received and|will (respond|reply|get back to you) within \d+|in the order they arrive|sender verification)\b/i,
  ),
  cue(
    "bounce_auto_reply",
    "subject",
    2,
    "subject confirms receipt",
    /\b(ticket|request received|we got your|received your|thanks for your message|awaiting verification|application received)\b/i,
  ),
  cue(
    "bounce_auto_reply",
    "headers",
    3,
    "marked as an automatic message",
    /auto-submitted:\s*auto-(replied|generated)/i,
  ),

  // Away messages.
  cue(
    "out_of_office",
    "subject",
    3,
    "subject is an away notice",
    /\b(out of (the )?office|abwesen\w*|fuori ufficio|réponse automatique|respuesta automática|fravær|away|on vacation|on leave)\b/i,
  ),
  cue(
    "out_of_office",
    "subject",
    1.5,
    "subject is an automatic reply",
    /\b(automatic reply|auto[- ]?reply|autoreply|auto-response)\b/i,
  ),
  cue(
    "out_of_office",
    "body",
    3.5,
    "says the sender is away",
    /\b(out of (the )?office|on (annual |parental |paternity |maternity |sick |medical |study )?leave|on (vacation|holiday)|on a business trip|(i'm|i am|i will be|we're|we are) (currently )?(away|offline|travelling|traveling|closed|absent)|away (from (my desk|the office)|until)|not in the office)\b/i,
  ),
  cue(
    "out_of_office",
    "body",
    3,
    "says when the sender is back",
    /\b((be|i'm|i am) back (on|in|at)|back in the (office|shop)|back at my desk|(will|i'll) (return|be back)|returning (on )?\w+ \d|upon (my )?return|after my return|on my return|in my absence|return date)\b/i,
  ),
  cue(
    "out_of_office",
    "body",
    2.5,
    "says email is not being read",
    /\b((limited|no|intermittent) (access to|connectivity)|(not|won't|will not) be (checking|reading|read)|checking (e-?mail|mail) only occasionally|will not be forwarded|will not be read|emails will not be read|no access to e-?mails?)\b/i,
  ),

  // Asking to stop.
  cue("unsubscribe_request", "body", 5, "asks to unsubscribe", /\bunsubscribe\b/i),
  cue(
    "unsubscribe_request",
    "body",
    5,
    "asks to be removed from the list",
    /\b(remove me|take me off|opt(ed)? ?-?out|(remove|delete|exclude|take) (me|my (e-?mail|address|details|data|personal data)|this (e-?mail )?address)\b.{0,40}\b(list|lists|database|records))\b/i,
  ),
  cue(
    "unsubscribe_request",
    "body",
    4,
    "asks to be removed",
    /^\s*(please )?remove me\b|\bremove (me|my address|this address)\b|\b(be|been|get|getting) (removed|taken off|unsubscribed)\b/i,
  ),
  cue(
    "unsubscribe_request",
    "body",
    5,
    "asks to stop the emails",
    /\b(stop (e-?mailing|contacting|sending|messaging|writing)|(do not|don't|never) (contact|e-?mail|message|write to) (me|us|this address)|no (more|further) e-?mails|do not wish to receive|don't want any more e-?mails|do not contact)\b/i,
  ),
  cue("unsubscribe_request", "body", 5, "says STOP", /^\s*(please\s+)?stop[.!]?\s*$/i),
  cue(
    "unsubscribe_request",
    "body",
    3,
    "calls it spam",
    /\b(this is spam|report (this|you|it) as spam|never signed up|how did you get my (e-?mail|address))\b/i,
  ),
  cue(
    "unsubscribe_request",
    "body",
    3.5,
    "asks to delete their data",
    /\bdelete (my|our) (personal )?(data|details|information)\b|\b(mailing|distribution) list\b|\bcancel my subscription\b/i,
  ),
  cue("unsubscribe_request", "subject", 4, "subject says unsubscribe", /\bunsubscribe\b/i),

  // Declining.
  cue("not_interested", "body", 4, "says not interested", /\bnot interested\b|\bno interest\b|\bit's a no\b/i),
  cue("not_interested", "body", 3, "says no thanks", /\b(no,? thanks?( you)?|thanks,? but no|nah)\b|^\s*no[.!]?\s*$/i),
  cue(
    "not_interested",
    "body",
    3,
    "says it is not a fit",
    /\bnot (a (good )?fit|for us|what we('re| are) looking for|something we|the right time|a priority|right now|looking for)\b|\b(isn't|is not|doesn't|does not) (a fit|make sense for us)\b|\bmore than we need\b/i,
  ),
  cue(
    "not_interested",
    "body",
    3,
    "already has a solution",
    /\b((we're|we are|i'm|i am) (all )?(set|good|happy with)|happy with (our|it|what)|stick with|(signed|went|go|going) with (another|a different|other|a competitor)|built our own|in-house|no plans to (switch|change))\b/i,
  ),
  cue(
    "not_interested",
    "body",
    3.5,
    "decided against it",
    /\b(decided not to|not (moving|going) (forward|ahead)|we('ll| will) (pass|decline)|pass on (this|it)|decline|postpone|no budget|don't have (the )?budget|cutting costs|too (high|expensive) for us|(don't|do not|won't) need)\b/i,
  ),
  cue("not_interested", "body", 1, "wishes luck", /\b(good luck|best of luck|all the best|thanks anyway)\b/i),

  // Pointing to someone else.
  cue(
    "referral",
    "body",
    4,
    "says someone else is the right person",
    /\b(not the right person|wrong person|not my (area|department)|not the decision[- ]maker|(don't|do not) handle|not (in charge|responsible)|(the )?(best|right|appropriate) (person|contact)|person responsible|(makes|make) (these|those|the) decisions|decides on|handles this|looks after|is (now )?responsible for|in charge of|runs the|you('d| would) (want|be better off)|should (speak|talk) (to|with))\b/i,
  ),
  cue(
    "referral",
    "body",
    3,
    "hands the email on",
    /\b(forward(ing|ed)? (this|your e-?mail|it|the e-?mail)|pass(ing)? (this|it) (on|to)|loop(ing)? in|cc'?d|copied here|over to you|direct your (enquiry|inquiry|request) to)\b/i,
  ),
  cue(
    "referral",
    "body",
    3,
    "has left or changed role",
    /\b(i('ve| have) (moved|left|retired)|i left|no longer with|taken over|has taken over|my successor|moved to a (different|new) role)\b/i,
  ),
  cue(
    "referral",
    "body",
    1.5,
    "names someone to contact",
    /\b(reach out to|get in touch with|speak (to|with)|talk to|contact|e-?mail|write to|try) (my |our )?(colleague|manager|boss|owner|partner|brother|sister|wife|husband|ceo|cto|head|director|[A-Z][a-z]+)\b/,
  ),

  // Asking.
  cue("question", "body", 1.5, "asks a question", /\?/),
  cue(
    "question",
    "body",
    1.5,
    "opens with a question word",
    /(^|[.!?]\s+)(how|what|which|who|where|when|why|is|are|do|does|can|could|would|will)\b[^.!]*\?/i,
  ),
  cue(
    "question",
    "body",
    1.5,
    "asks for a clarification",
    /\b(could you (clarify|tell|explain)|can you tell me|i('d| would) like to know|wondering|quick one|genuinely asking)\b/i,
  ),

  // Wanting more.
  cue("interested", "body", 2, "says interested", /(?<!\b(not|no longer|never|n't|un)\s?)\binterested\b/i),
  cue(
    "interested",
    "body",
    3,
    "proposes to talk",
    /\b(let'?s|can we|could we|shall we|happy to|glad to|would love to|i'?d love to|we'?d love to|keen to|like to|want to)\b.{0,25}\b(talk|chat|meet|call|connect|set (up|something)|schedule|book|do it|see|hear|discuss|move forward|try)\b/i,
  ),
  cue(
    "interested",
    "body",
    2,
    "asks to book something",
    /\b(book|schedule|set up|arrange|send( me| over)?|put something on|calendar invite)\b.{0,25}\b(call|meeting|demo|invite|time|slot|session|trial|contract|proposal|pricing|deck|details|link|calendar)\b/i,
  ),
  cue(
    "interested",
    "body",
    2.5,
    "shows interest",
    /\b(sounds (good|great|interesting)|tell me more|learn more|hear more|count me in|i'?m listening|move forward|next steps|get started|sign up|free trial|good fit|timing is good|timely|yes,? (please|we|i|this|let'?s)|let'?s do it|go ahead|looks promising|could be useful|something we need)\b/i,
  ),
  cue(
    "interested",
    "body",
    1,
    "names a time",
    /\b(monday|tuesday|wednesday|thursday|friday|tomorrow|next week|this week|afternoon|morning|\d{1,2}(:\d\d)? ?(am|pm)|calendly|call me|give me a call)\b/i,
  ),
];
