import { describe, expect, it } from "vitest";
import { type ContentTemplate, ContentTemplateError, generateContent, truncateAtWord } from "../../src";

const intro: ContentTemplate = {
  id: "tpl_intro",
  name: "Intro",
  subject: "{{deal.name|Your project}} for {{company.name|your team}}",
  body: "Hi {{contact.firstName|there}},\n\nI am writing about {{deal.name|your project}}. We do not want {{company.name|your team}} to wait!!\n\nBest,\n{{sender.name}}",
};

const ada = {
  contact: { firstName: "Ada", lastName: "Lovelace" },
  company: { name: "Analytical Engines" },
  deal: { name: "Engine upgrade" },
  sender: { name: "Sam Reed" },
};

describe("generateContent: email", () => {
  it("renders the template with the contact's facts in a friendly tone", () => {
    const out = generateContent({ channel: "email", tone: "friendly", template: intro, context: ada });
    expect(out.result).toEqual({
      channel: "email",
      tone: "friendly",
      subject: "Engine upgrade for Analytical Engines",
      body: "Hi Ada,\n\nI'm writing about Engine upgrade. We don't want Analytical Engines to wait!\n\nAll the best,\nSam Reed",
      characters: 108,
      limit: null,
      truncated: false,
      templateId: "tpl_intro",
      factsUsed: ["deal.name", "company.name", "contact.firstName", "sender.name"],
      fallbacksUsed: [],
      changes: [
        { rule: "friendly sign-off", from: "Best,", to: "All the best," },
        { rule: "contractions", from: "I am", to: "I'm" },
        { rule: "contractions", from: "do not", to: "don't" },
        { rule: "repeated punctuation", from: "!!", to: "!" },
      ],
    });
    expect(out.explanation).toBe(
      'Composed a friendly email from template "Intro". Context used: deal.name = "Engine upgrade", company.name = "Analytical Engines", contact.firstName = "Ada", sender.name = "Sam Reed". Rules applied: contractions (2), friendly sign-off, repeated punctuation.',
    );
    expect(out.factors).toEqual([
      { name: "deal.name", impact: 1, value: "Engine upgrade" },
      { name: "company.name", impact: 1, value: "Analytical Engines" },
      { name: "contact.firstName", impact: 1, value: "Ada" },
      { name: "sender.name", impact: 1, value: "Sam Reed" },
      { name: "contractions", impact: 2, value: '"I am" → "I\'m", "do not" → "don\'t"' },
      { name: "friendly sign-off", impact: 1, value: '"Best," → "All the best,"' },
      { name: "repeated punctuation", impact: 1, value: '"!!" → "!"' },
    ]);
    expect(out.engine).toEqual({ engine: "builtin", model: "content-compose", version: "1" });
  });

  it("falls back where the context is empty, and writes formally to Sir or Madam", () => {
    const out = generateContent({
      channel: "email",
      tone: "formal",
      template: intro,
      context: { contact: { firstName: "" }, sender: { name: "Sam Reed" } },
    });
    expect(out.result.subject).toBe("Your project for your team");
    expect(out.result.body).toBe(
      "Dear Sir or Madam,\n\nI am writing about your project. We do not want your team to wait.\n\nYours sincerely,\nSam Reed",
    );
    expect(out.result.factsUsed).toEqual(["sender.name"]);
    expect(out.result.fallbacksUsed).toEqual(["deal.name", "company.name", "contact.firstName"]);
    expect(out.explanation).toBe(
      'Composed a formal email from template "Intro". Context used: sender.name = "Sam Reed". Empty in the context, so the fallback was used: deal.name → "Your project", company.name → "your team", contact.firstName → "there". Rules applied: formal greeting, formal sign-off, exclamation marks calmed.',
    );
    expect(out.factors.slice(0, 4)).toEqual([
      { name: "sender.name", impact: 1, value: "Sam Reed" },
      { name: "deal.name (fallback)", impact: 0, value: "Your project" },
      { name: "company.name (fallback)", impact: 0, value: "your team" },
      { name: "contact.firstName (fallback)", impact: 0, value: "there" },
    ]);
  });

  it("adds the tone's greeting and sign-off, and a subject from the first sentence, when the template has none", () => {
    const out = generateContent({
      channel: "email",
      tone: "professional",
      template: {
        id: "tpl_recap",
        name: "Recap",
        body: "Thanks for your time on {{deal.name}} today. Here is the summary you asked for.",
      },
      context: { contact: { firstName: "Ada" }, deal: { name: "Q3 rollout" }, sender: { name: "Sam" } },
    });
    expect(out.result.subject).toBe("Thanks for your time on Q3 rollout today");
    expect(out.result.body).toBe(
      "Hello Ada,\n\nThanks for your time on Q3 rollout today. Here is the summary you asked for.\n\nBest regards,\nSam",
    );
    expect(out.result.changes).toEqual([
      { rule: "greeting added", from: "", to: "Hello Ada," },
      { rule: "sign-off added", from: "", to: "Best regards," },
      { rule: "subject taken from the first sentence", from: "", to: "Thanks for your time on Q3 rollout today" },
    ]);
    expect(out.factors.map((f) => [f.name, f.value])).toEqual([
      ["deal.name", "Q3 rollout"],
      ["greeting added", '"Hello Ada," added'],
      ["sign-off added", '"Best regards," added'],
      ["subject taken from the first sentence", '"Thanks for your time on Q3 rollout today" added'],
    ]);
  });

  it("refuses a template with a token that cannot be rendered, naming it", () => {
    const bad = { id: "tpl_bad", name: "Bad", body: "Hi {{contact.first_name}}, see {{contact.customFields.plan}}" };
    const call = () => generateContent({ channel: "email", tone: "casual", template: bad, context: { contact: {} } });
    expect(call).toThrow(ContentTemplateError);
    try {
      call();
    } catch (error) {
      expect((error as ContentTemplateError).problems.map((p) => p.token)).toEqual([
        "{{contact.first_name}}",
        "{{contact.customFields.plan}}",
      ]);
    }
    // The tenant's custom field keys make the second token valid.
    const ok = generateContent({
      channel: "sms",
      tone: "casual",
      template: { ...bad, body: "Your plan: {{contact.customFields.plan|none yet}}" },
      context: { contact: { customFields: {} } },
      customFieldKeys: ["plan"],
    });
    expect(ok.result.body).toBe("Your plan: none yet");
  });
});

describe("generateContent: SMS and social", () => {
  const followUp: ContentTemplate = {
    id: "tpl_fu",
    name: "Follow-up",
    body: "Hi {{contact.firstName|there}},\n\nI hope this email finds you well. I’m following up on {{deal.name}} — we can start on Monday and finish the migration within two weeks, including training for your whole team and a review call afterwards.\n\nBest,\nSam",
  };

  it("writes one GSM-safe line without pleasantries or sign-off, cut at a word to 160 characters", () => {
    const out = generateContent({
      channel: "sms",
      tone: "casual",
      template: followUp,
      context: { contact: { firstName: "Ada" }, deal: { name: "the CRM migration" } },
    });
    expect(out.result.subject).toBeNull();
    expect(out.result.body).toBe(
      "Hey Ada, I'm following up on the CRM migration - we can start on Monday and finish the migration within two weeks, including training for your whole team...",
    );
    expect(out.result.characters).toBe(156);
    expect(out.result.limit).toBe(160);
    expect(out.result.truncated).toBe(true);
    expect(out.result.changes.map((c) => c.rule)).toEqual([
      "casual greeting",
      "casual sign-off",
      "filler sentences removed",
      "sign-off left out of the SMS",
      "typographic characters made SMS-safe",
      "typographic characters made SMS-safe",
      "cut to 160 characters",
    ]);
    expect(out.result.changes.at(-1)).toEqual({
      rule: "cut to 160 characters",
      from: "183 characters",
      to: "156 characters",
    });
    expect(out.explanation).toContain("Cut to the 160-character limit at a word boundary.");
  });

  const sms = (body: string, firstName = "Dana") =>
    generateContent({
      channel: "sms",
      tone: "casual",
      template: { id: "t", name: "Intro", body },
      context: { contact: { firstName }, deal: { name: "the CRM migration" } },
    });

  it("runs the greeting into the text: an ordinary first word goes lower case, a name or I keeps its capital", () => {
    expect(sms("Hi {{contact.firstName}},\n\nWe help sales teams reply faster.").result.body).toBe(
      "Hey Dana, we help sales teams reply faster.",
    );
    expect(sms("Hi {{contact.firstName}},\n\nAcme helps sales teams reply faster.").result.body).toBe(
      "Hey Dana, Acme helps sales teams reply faster.",
    );
    expect(sms("Hi {{contact.firstName}},\n\nI saw your post about hiring.").result.body).toBe(
      "Hey Dana, I saw your post about hiring.",
    );
    expect(sms("Hi {{contact.firstName}},\n\nCRM data is messy. We fix that.").result.body).toBe(
      "Hey Dana, CRM data is messy. We fix that.",
    );
  });

  it("over 160 characters keeps the opening and the closing call to action, dropping sentences from the middle", () => {
    const out = sms(
      "Hi {{contact.firstName}},\n\nWe help sales teams answer every reply within the hour. " +
        "Our customers cut their response time by half in the first month. " +
        "Setup takes a single afternoon and needs no engineers at all. " +
        "Reply YES and I will book a call.",
    );
    expect(out.result.body).toBe(
      "Hey Dana, we help sales teams answer every reply within the hour. Reply YES and I'll book a call.",
    );
    expect(out.result.characters).toBe(97);
    expect(out.result.truncated).toBe(true);
    expect(out.result.changes.filter((c) => c.rule.startsWith("middle")).map((c) => c.from)).toEqual([
      "Setup takes a single afternoon and needs no engineers at all.",
      "Our customers cut their response time by half in the first month.",
    ]);
  });

  it("cuts a long opening at a word when the opening and the call to action alone are too long", () => {
    const out = sms(
      "Hi {{contact.firstName}},\n\nWe help sales teams in logistics, manufacturing, retail and wholesale answer every single customer reply within the hour, with a shared inbox, templates and reminders for every rep. " +
        "Reply YES and I will book a call.",
    );
    expect(out.result.body).toBe(
      "Hey Dana, we help sales teams in logistics, manufacturing, retail and wholesale answer every single customer reply within... Reply YES and I'll book a call.",
    );
    expect(out.result.characters).toBe(156);
    expect(out.result.changes.at(-1)).toEqual({
      rule: "opening cut to keep the call to action",
      from: "191 characters",
      to: "124 characters",
    });
  });

  it("keeps a short SMS whole", () => {
    const out = generateContent({
      channel: "sms",
      tone: "friendly",
      template: {
        id: "t",
        name: "Reminder",
        body: "Hi {{contact.firstName}}, your demo is tomorrow at 10am. Reply here if it does not suit you!",
      },
      context: { contact: { firstName: "Ada" } },
    });
    expect(out.result.body).toBe("Hi Ada, your demo is tomorrow at 10am. Reply here if it doesn't suit you!");
    expect(out.result.truncated).toBe(false);
    expect(out.result.characters).toBe(73);
  });

  it("drops the greeting and sign-off from a social post", () => {
    const out = generateContent({
      channel: "social",
      tone: "friendly",
      template: {
        id: "tpl_launch",
        name: "Launch",
        body: "Hi {{contact.firstName|there}},\n\nWe just shipped {{deal.name|our new release}}! It is faster than ever.\n\nCheers,\nSam",
      },
      context: { contact: {} },
    });
    expect(out.result.body).toBe("We just shipped our new release! It's faster than ever.");
    expect(out.result.limit).toBe(280);
    expect(out.result.fallbacksUsed).toEqual(["contact.firstName", "deal.name"]);
    expect(out.result.changes.map((c) => c.rule)).toEqual([
      "friendly sign-off",
      "contractions",
      "sign-off left out of the social post",
      "greeting left out of the social post",
    ]);
  });
});

describe("truncateAtWord", () => {
  it("leaves text within the limit alone", () => {
    expect(truncateAtWord("Short.", 10)).toEqual({ text: "Short.", truncated: false });
  });
  it("prefers a sentence end that keeps at least 60% of the limit", () => {
    expect(truncateAtWord("First sentence is here. Second sentence is much longer than the limit allows.", 30)).toEqual(
      {
        text: "First sentence is here.",
        truncated: true,
      },
    );
  });
  it("cuts at the last whole word and marks the cut", () => {
    expect(truncateAtWord("alpha beta gamma delta", 14)).toEqual({ text: "alpha beta...", truncated: true });
    expect(truncateAtWord("alpha betagamma", 12)).toEqual({ text: "alpha...", truncated: true });
  });
  it("drops trailing connectives and punctuation before the mark", () => {
    expect(truncateAtWord("Bring the laptop, and the charger please", 24)).toEqual({
      text: "Bring the laptop...",
      truncated: true,
    });
  });
  it("cuts a single over-long word, counting emoji as one character each", () => {
    expect(truncateAtWord("abcdefghijkl", 8)).toEqual({ text: "abcde...", truncated: true });
    expect(truncateAtWord("😀😀😀😀😀 ok", 6)).toEqual({ text: "😀😀😀...", truncated: true });
  });
});
