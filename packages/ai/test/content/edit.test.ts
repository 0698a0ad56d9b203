import { describe, expect, it } from "vitest";
import { improveContent, rewriteContent, shortenContent } from "../../src";

describe("rewriteContent", () => {
  it("rewrites casual into formal: contractions spelled out, word choice, greeting, sign-off, calm punctuation", () => {
    const out = rewriteContent(
      {
        channel: "email",
        subject: "Can't make Friday",
        body: "Hey Ada,\n\nIt's been a busy week! I'm sure we'll win, don't worry. Let's talk ASAP. Thanks for the quick call.\n\nCheers,\nSam",
      },
      "formal",
    );
    expect(out.result.subject).toBe("Cannot make Friday");
    expect(out.result.body).toBe(
      "Dear Ada,\n\nIt has been a busy week. I am sure we will win, do not worry. Let us talk as soon as possible. Thank you for the brief call.\n\nYours sincerely,\nSam",
    );
    expect(out.explanation).toBe(
      "Rewrote the email in a formal tone. Rules applied: contractions spelled out (6), formal word choice (3), formal greeting, formal sign-off, exclamation marks calmed.",
    );
    expect(out.factors[0]).toEqual({
      name: "contractions spelled out",
      impact: 6,
      value: '"Let\'s" → "Let us", "It\'s" → "It has", "don\'t" → "do not"',
    });
    expect(out.engine).toEqual({ engine: "builtin", model: "content-rewrite", version: "1" });
  });

  it("rewrites formal into casual, leaving a clause-final 'it is' and 'let us know' alone", () => {
    const out = rewriteContent(
      {
        channel: "email",
        body: "Dear Ada,\n\nI am writing regarding the renewal. It is ready, and here it is. Please let us know if you require additional seats.\n\nYours sincerely,\nSam",
      },
      "casual",
    );
    expect(out.result.subject).toBeNull();
    expect(out.result.body).toBe(
      "Hey Ada,\n\nI'm writing about the renewal. It's ready, and here it is. Please let us know if you need more seats.\n\nCheers,\nSam",
    );
    expect(out.result.changes).toEqual([
      { rule: "casual greeting", from: "Dear Ada,", to: "Hey Ada," },
      { rule: "casual sign-off", from: "Yours sincerely,", to: "Cheers," },
      { rule: "contractions", from: "I am", to: "I'm" },
      { rule: "contractions", from: "It is", to: "It's" },
      { rule: "casual word choice", from: "regarding", to: "about" },
      { rule: "casual word choice", from: "require", to: "need" },
      { rule: "casual word choice", from: "additional", to: "more" },
    ]);
  });

  it("changes nothing when the draft is already in the tone", () => {
    const out = rewriteContent(
      { channel: "email", body: "Hello Ada,\n\nThe report is attached.\n\nBest regards,\nSam" },
      "professional",
    );
    expect(out.result.body).toBe("Hello Ada,\n\nThe report is attached.\n\nBest regards,\nSam");
    expect(out.result.changes).toEqual([]);
    expect(out.explanation).toBe("Rewrote the email in a professional tone. No rule changed the text.");
  });
});

describe("shortenContent", () => {
  it("removes filler sentences and hedges and shortens wordy phrases, keeping 'very much'", () => {
    const out = shortenContent({
      channel: "email",
      body: "Hello Ada,\n\nI hope you are doing well. I just wanted to say that I think we could really help in order to cut costs. Thank you very much for your time.\n\nThanks,\nSam",
    });
    expect(out.result.body).toBe(
      "Hello Ada,\n\nI wanted to say that we could help to cut costs. Thank you very much for your time.\n\nThanks,\nSam",
    );
    expect(out.result.changes).toEqual([
      { rule: "filler sentences removed", from: "I hope you are doing well.", to: "" },
      { rule: "wordy phrases shortened", from: "in order to", to: "to" },
      { rule: "hedges removed", from: "I think", to: "" },
      { rule: "hedges removed", from: "just", to: "" },
      { rule: "hedges removed", from: "really", to: "" },
    ]);
    expect(out.explanation).toBe(
      "Shortened the email from 164 to 108 characters. Rules applied: hedges removed (3), filler sentences removed, wordy phrases shortened.",
    );
    expect(out.engine).toEqual({ engine: "builtin", model: "content-shorten", version: "1" });
  });

  it("drops closing sentences to fit a length asked for", () => {
    const out = shortenContent(
      {
        channel: "sms",
        body: "Your demo is booked for Tuesday at 10am. Bring your questions. We will send the agenda tomorrow.",
      },
      { maxCharacters: 70 },
    );
    expect(out.result).toEqual({
      channel: "sms",
      subject: null,
      body: "Your demo is booked for Tuesday at 10am. Bring your questions.",
      characters: 62,
      limit: 70,
      truncated: false,
      changes: [{ rule: "closing sentences dropped to fit", from: "We will send the agenda tomorrow.", to: "" }],
    });
    expect(out.explanation).toBe(
      "Shortened the SMS from 96 to 62 characters. Rules applied: closing sentences dropped to fit.",
    );
  });

  it("cuts a single long sentence at a word when dropping sentences is not enough", () => {
    const out = shortenContent(
      {
        channel: "social",
        body: "Our spring release brings faster imports, cleaner reports and a brand new mobile app",
      },
      { maxCharacters: 40 },
    );
    expect(out.result.body).toBe("Our spring release brings faster...");
    expect(out.result.truncated).toBe(true);
    expect(out.result.limit).toBe(40);
  });
});

describe("improveContent", () => {
  it("fixes spacing, punctuation and capitals, asks directly and tidies the subject", () => {
    const out = improveContent(
      {
        channel: "email",
        subject: "  meeting next week.",
        body: "hi Ada,\n\ni was wondering if you could send the contract  .  it would help us plan!!\n\nRegards,\nSam",
      },
      "friendly",
    );
    expect(out.result.subject).toBe("Meeting next week");
    expect(out.result.body).toBe("Hi Ada,\n\nCould you send the contract? It would help us plan!\n\nRegards,\nSam");
    expect(out.explanation).toBe(
      "Improved the email. Rules applied: spacing and punctuation fixed (5), sentence starts capitalised (2), indirect request made direct, subject tidied.",
    );
  });

  it("removes a filler opener, ends the sentence and adds a question in the tone's voice", () => {
    const out = improveContent(
      {
        channel: "email",
        body: "Hello Ada,\n\nI hope this email finds you well. Our new plan saves teams 20%\n\nBest regards,\nSam",
      },
      "casual",
    );
    expect(out.result.subject).toBe("Our new plan saves teams 20%");
    expect(out.result.body).toBe(
      "Hello Ada,\n\nOur new plan saves teams 20%.\n\nUp for a quick chat this week?\n\nBest regards,\nSam",
    );
    expect(out.result.changes.map((c) => c.rule)).toEqual([
      "filler sentences removed",
      "full stop added",
      "question added so the reader knows the next step",
      "subject taken from the first sentence",
    ]);
  });

  it("adds no question to an SMS", () => {
    const out = improveContent({ channel: "sms", body: "your order shipped today" });
    expect(out.result.body).toBe("Your order shipped today.");
    expect(out.result.subject).toBeNull();
  });
});
