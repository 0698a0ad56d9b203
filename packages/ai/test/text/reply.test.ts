import { describe, expect, it } from "vitest";
import { classifyReplyIntent, findReferredContact, parseReturnDate, replyOwnText } from "../../src";

describe("replyOwnText", () => {
  it("drops a quote header wrapped over two lines and everything after it", () => {
    const text = [
      "Sounds good, let's talk Tuesday.",
      "",
      "On Mon, Mar 2, 2026 at 9:14 AM Sam Carter <",
      "sam@ourcrm.com> wrote:",
      "> Not interested? Reply unsubscribe.",
    ].join("\n");
    expect(replyOwnText(text)).toBe("Sounds good, let's talk Tuesday.");
  });

  it("drops the signature after a sign-off, a device footer and an Outlook header block", () => {
    expect(replyOwnText("Yes, send the contract.\n\nBest,\nFelix Wagner\nAlpenhaus GmbH")).toBe(
      "Yes, send the contract.",
    );
    expect(replyOwnText("Remove me.\n\nSent from my Android phone")).toBe("Remove me.");
    expect(
      replyOwnText("We decline.\n-----Original Message-----\nFrom: Sam\nSent: 3 March 2026\nWould you like a demo?"),
    ).toBe("We decline.");
    expect(replyOwnText("Thanks,\nbut no.\n> quoted line\nReally.")).toBe("Thanks,\nbut no.\nReally.");
  });
});

describe("parseReturnDate", () => {
  const monday = new Date("2026-03-02T09:00:00Z");
  it("reads the day the sender is back", () => {
    expect(parseReturnDate("I will return on Monday, 16 March 2026.", monday)).toBe("2026-03-16");
    expect(parseReturnDate("Back in the office on 17 August.", monday)).toBe("2026-08-17");
    expect(parseReturnDate("Out surfing, back in the shop Thursday.", monday)).toBe("2026-03-05");
    expect(parseReturnDate("I'm out today and will be back tomorrow.", monday)).toBe("2026-03-03");
    expect(parseReturnDate("Returning January 6, happy holidays!", monday)).toBe("2027-01-06");
  });

  it("takes the day after an 'until' date, numeric dates day first", () => {
    expect(parseReturnDate("Ich bin bis einschließlich 24.04.2026 nicht im Büro.")).toBe("2026-04-25");
    expect(parseReturnDate("I am on holiday until 30 September 2026.")).toBe("2026-10-01");
    expect(parseReturnDate("On annual leave from 3 to 14 August.", monday)).toBe("2026-08-15");
  });

  it("is null without a date, or when a year-less date has no reply date to anchor it", () => {
    expect(parseReturnDate("I am on medical leave; no return date yet.", monday)).toBeNull();
    expect(parseReturnDate("Back on 17 August.")).toBeNull();
  });
});

describe("findReferredContact", () => {
  it("finds the address and the name that goes with it, not the sender's", () => {
    expect(
      findReferredContact(
        "I'm not the right person. Speak to Karen Ellis, our Head of Sales - karen.ellis@marlowretail.com. Or me at ben@marlowretail.com",
        "ben@marlowretail.com",
      ),
    ).toEqual({ name: "Karen Ellis", email: "karen.ellis@marlowretail.com" });
    expect(findReferredContact("Try our commercial director, Sean O'Brien (sean.obrien@copper.com).")).toEqual({
      name: "Sean O'Brien",
      email: "sean.obrien@copper.com",
    });
    expect(findReferredContact("The best person is our IT director, Dr. Amara Obi.")).toEqual({
      name: "Amara Obi",
      email: null,
    });
  });
});

describe("classifyReplyIntent (shipped model)", () => {
  const receivedAt = "2026-03-02T09:00:00Z";
  const classify = (from: string, subject: string, text: string) =>
    classifyReplyIntent({ from, subject, text, receivedAt }).result;

  it("reads interest in the sender's words, not in the quoted email", () => {
    const out = classifyReplyIntent({
      from: "dana@brightlane.io",
      subject: "Re: onboarding",
      text: "Sounds good, let's talk Tuesday.\n\nOn Mon, Mar 2, 2026 at 9:14 AM Sam <sam@ourcrm.com> wrote:\n> unsubscribe",
      receivedAt,
    });
    expect(out.result.classification).toBe("interested");
    expect(out.result.confidence).toBe(0.999);
    expect(out.result.action).toEqual({
      type: "stop_sequence_create_task",
      description: "Stop the sequence and create a task to follow up personally.",
    });
    expect(out.factors.slice(0, 3).map((f) => f.name)).toEqual(["proposes to talk", "shows interest", "names a time"]);
    expect(out.explanation).toBe(
      "Read as interested (100% sure): proposes to talk; shows interest; names a time. Stop the sequence and create a task to follow up personally.",
    );
    expect(out.engine).toEqual({ engine: "builtin", model: "reply-cues+logistic-regression", version: "1" });
  });

  it("classifies each kind of reply and suggests its action", () => {
    const cases = [
      classify("a@b.com", "Re: hi", "Thanks, but we're happy with our current vendor."),
      classify("a@b.com", "Re: hi", "Does it work with Gmail and Outlook calendars?"),
      classify("a@b.com", "Automatic reply: hi", "I'm on holiday until 20 March with no access to email."),
      classify("a@b.com", "Re: hi", "Please take me off your mailing list."),
      classify("MAILER-DAEMON@mx.example.net", "Undeliverable: hi", "550 5.1.1 User unknown"),
      classify("a@b.com", "Re: hi", "I'm not the right person - please contact Joan Miro at joan@b.com"),
    ];
    expect(cases.map((c) => [c.classification, c.action.type])).toEqual([
      ["not_interested", "stop_sequence_mark_not_interested"],
      ["question", "pause_sequence_answer_question"],
      ["out_of_office", "pause_sequence_until"],
      ["unsubscribe_request", "unsubscribe_contact"],
      ["bounce_auto_reply", "mark_email_invalid"],
      ["referral", "enrol_referred_contact"],
    ]);
    expect(cases[2]!.action.resumeOn).toBe("2026-03-21");
    expect(cases[5]!.action).toEqual({
      type: "enrol_referred_contact",
      description: "Stop the sequence for this contact and enrol the referred contact Joan Miro <joan@b.com>.",
      referredContact: { name: "Joan Miro", email: "joan@b.com" },
    });
  });

  it("pauses an away reply without a date for a week from its arrival, and lets an acknowledgement pass", () => {
    const away = classify("a@b.com", "Out of office", "I am currently out of the office on leave.");
    expect(away.action).toEqual({
      type: "pause_sequence_until",
      description: "Pause the sequence until 2026-03-09 (no return date given; 7 days).",
      resumeOn: "2026-03-09",
    });
    const ticket = classify(
      "support@help.example.com",
      "[Ticket #123] Re: hi",
      "This is an automated response: we have received your request and will respond within 2 business days.",
    );
    expect([ticket.classification, ticket.action.type]).toEqual(["bounce_auto_reply", "ignore_auto_reply"]);
  });

  it("gives probabilities over the seven classes that sum to one", () => {
    const { probabilities } = classify("a@b.com", "Re: hi", "What does it cost?");
    expect(Object.keys(probabilities)).toEqual([
      "interested",
      "not_interested",
      "question",
      "out_of_office",
      "unsubscribe_request",
      "bounce_auto_reply",
      "referral",
    ]);
    expect(Object.values(probabilities).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 2);
  });
});
