import { describe, expect, it } from "vitest";
import { classifyReply, replyOwnText } from "../src/reply-classification";

describe("classifyReply", () => {
  const cases: [string, Parameters<typeof classifyReply>[0], string, string][] = [
    [
      "mailer-daemon sender",
      { from: "MAILER-DAEMON@mx.example.com", subject: "Failure", text: "Your message could not be delivered" },
      "bounce",
      "sent by a mail server (mailer-daemon/postmaster)",
    ],
    [
      "delivery failure subject",
      { from: "ops@example.com", subject: "Undeliverable: Quick question", text: "interested" },
      "bounce",
      "subject is a delivery failure notice",
    ],
    [
      "auto-reply subject",
      { subject: "Automatic reply: Quick question", text: "Thanks for your message, I'm interested" },
      "out_of_office",
      "subject is an automatic reply",
    ],
    [
      "away in the body",
      { subject: "Re: Quick question", text: "Hi, I am currently out of the office until Monday." },
      "out_of_office",
      "says the sender is away",
    ],
    [
      "asks to be removed",
      { subject: "Re: hi", text: "Please remove me from your list." },
      "unsubscribe",
      "asks to stop receiving messages",
    ],
    ["declines", { subject: "Re: hi", text: "Not interested, thanks." }, "not_interested", "declines"],
    [
      "points to a colleague",
      { subject: "Re: hi", text: "I'm not the right person, please reach out to Dana instead." },
      "referral",
      "points to someone else",
    ],
    [
      "interest",
      { subject: "Re: hi", text: "Sounds good, let's set up a call next week." },
      "interested",
      "shows interest",
    ],
    ["question", { subject: "Re: hi", text: "How does your pricing work?" }, "question", "asks a question"],
    ["nothing to go on", { subject: "Re: hi", text: "Received." }, "other", "no rule matched"],
  ];
  for (const [name, reply, classification, reason] of cases) {
    it(`${name} → ${classification}`, () => {
      expect(classifyReply(reply)).toEqual({ classification, reason });
    });
  }

  it("reads only the sender's own words, not the quoted message", () => {
    const text = [
      "Thanks, received.",
      "",
      "On Tue, 1 Dec 2026 at 10:00, Sam <sam@vendor.example> wrote:",
      "> Are you interested in a demo? Reply to unsubscribe.",
    ].join("\n");
    expect(classifyReply({ subject: "Re: Demo", text })).toEqual({
      classification: "other",
      reason: "no rule matched",
    });
  });
});

describe("replyOwnText", () => {
  it("drops quoted lines and everything after the original-message marker", () => {
    const text = "Yes please.\r\n> old line\r\nSecond line\r\n-----Original Message-----\r\nFrom: x\r\nold";
    expect(replyOwnText(text)).toBe("Yes please.\nSecond line");
  });
});
