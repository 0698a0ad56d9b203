import { env } from "cloudflare:test";
import { createDb, newId, outreachMessages, tenantDb } from "@crm/db";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant, type TestTenant, uniqueEmail } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { ok } from "../tasks/test-support";

// Ratings of generated content, and usage, reply rates and ratings per template (a sequence
// step's variant), ranked on the reply rate's lower confidence bound.

let a: TestTenant;
let b: TestTenant;
let contactId: string;
let step1: string;
let step2: string;
let sequenceId: string;

/** `count` messages sent from a step's variant, the first `replied` of them answered. */
async function seedSends(stepId: string, variantKey: string, count: number, replied: number) {
  const db = tenantDb(createDb(env.DB), a.tenantId);
  const sentAt = new Date(Date.now() - 86_400_000);
  // One statement per message: D1 binds at most 100 parameters per statement.
  const [first, ...rest] = Array.from({ length: count }, (_, i) =>
    db.insertQuery(outreachMessages, {
      id: newId("outreachMessage"),
      dedupeKey: `seed:${stepId}:${variantKey}:${i}`,
      channel: "email",
      contactId,
      sequenceId,
      stepId,
      variantKey,
      status: "sent",
      toAddress: `lead${i}@example.com`,
      subject: "Hello",
      text: "Hello",
      sentAt,
      repliedAt: i < replied ? new Date(sentAt.getTime() + 3600_000) : null,
    }),
  );
  await db.batch([first!, ...rest]);
}

async function generate(owner: TestTenant, body: Record<string, unknown>) {
  return ok("POST", "/api/v1/ai/content", owner.accessToken, { channel: "email", contactId, ...body }, 200);
}

beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Templates A"), signupTenant("Templates B")]);
  contactId = (
    await ok("POST", "/api/v1/contacts", a.accessToken, {
      firstName: "Dana",
      emails: [{ address: uniqueEmail("dana"), primary: true }],
    })
  ).id;
  const sequence = await ok("POST", "/api/v1/sequences", a.accessToken, {
    name: "Outreach templates",
    steps: [
      {
        channel: "email",
        variants: [
          { key: "A", weight: 50, subject: "A quick idea", body: "Hi {{contact.firstName|there}}, a quick idea." },
          { key: "B", weight: 50, subject: "Ten minutes?", body: "Hi {{contact.firstName|there}}, ten minutes?" },
        ],
      },
      { channel: "sms", variants: [{ key: "A", weight: 100, body: "Following up, {{contact.firstName|there}}." }] },
    ],
  });
  sequenceId = sequence.id;
  [step1, step2] = sequence.steps.map((s: { id: string }) => s.id);
  // Variant A: 40 sent, 20 replied (50%); B: 2 sent, both replied (100%); one failed send of A
  // (never sent) is not counted.
  await seedSends(step1, "A", 40, 20);
  await seedSends(step1, "B", 2, 2);
  await tenantDb(createDb(env.DB), a.tenantId).insertQuery(outreachMessages, {
    id: newId("outreachMessage"),
    dedupeKey: "seed:failed",
    channel: "email",
    contactId,
    sequenceId,
    stepId: step1,
    variantKey: "A",
    status: "failed",
    toAddress: "failed@example.com",
    text: "Hello",
    error: "Mailbox unavailable",
  });
});

describe("generated content is stored and rated", () => {
  it("POST /ai/content answers the output's id; GET shows it about the contact with its template and no rating", async () => {
    const generated = await generate(a, { templateId: step1, variantKey: "B" });
    expect(generated.outputId).toMatch(/^aio_/);
    const output = await ok("GET", `/api/v1/ai/outputs/${generated.outputId}`, a.accessToken);
    expect(output).toMatchObject({
      id: generated.outputId,
      subjectType: "contact",
      subjectId: contactId,
      capability: "content",
      result: generated.result,
      explanation: generated.explanation,
      engine: { engine: "builtin", model: "content-compose", version: "1" },
      template: { id: step1, variantKey: "B" },
      rating: null,
    });

    const rated = await ok(
      "POST",
      `/api/v1/ai/outputs/${generated.outputId}/rating`,
      a.accessToken,
      { stars: 4, comment: "  Good opener  " },
      200,
    );
    expect(rated.rating).toMatchObject({ stars: 4, comment: "Good opener" });
    expect(rated.rating.ratedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Rating again replaces the rating.
    await ok("POST", `/api/v1/ai/outputs/${generated.outputId}/rating`, a.accessToken, { stars: 5 }, 200);
    const reread = await ok("GET", `/api/v1/ai/outputs/${generated.outputId}`, a.accessToken);
    expect(reread.rating).toMatchObject({ stars: 5, comment: null });
  });

  it("422 at body.stars and body.comment; 404 for an unknown id and for another organization", async () => {
    const { outputId } = await generate(a, { template: { body: "Hi {{contact.firstName|there}}" } });
    const paths = async (body: unknown) =>
      (
        await expectProblem(
          await api("POST", `/api/v1/ai/outputs/${outputId}/rating`, { token: a.accessToken, body }),
          422,
          "VALIDATION_FAILED",
        )
      ).errors.map((e: { path: string }) => e.path);
    expect(await paths({ stars: 6 })).toEqual(["body.stars"]);
    expect(await paths({ stars: 2.5 })).toEqual(["body.stars"]);
    expect(await paths({})).toEqual(["body.stars"]);
    expect(await paths({ stars: 3, comment: "x".repeat(2001) })).toEqual(["body.comment"]);

    await expectProblem(await api("GET", "/api/v1/ai/outputs/aio_nope", { token: a.accessToken }), 404, "NOT_FOUND");
    await expectProblem(await api("GET", `/api/v1/ai/outputs/${outputId}`, { token: b.accessToken }), 404);
    await expectProblem(
      await api("POST", `/api/v1/ai/outputs/${outputId}/rating`, { token: b.accessToken, body: { stars: 1 } }),
      404,
    );
    expect((await ok("GET", `/api/v1/ai/outputs/${outputId}`, a.accessToken)).rating).toBeNull();
  });

  it("rating needs ai:write for an API key and the member role for a person", async () => {
    const { outputId } = await generate(a, { template: { body: "Hello" } });
    const readKey = await createKey(a, ["ai:read"]);
    expect((await ok("GET", `/api/v1/ai/outputs/${outputId}`, readKey.key)).id).toBe(outputId);
    await expectProblem(
      await api("POST", `/api/v1/ai/outputs/${outputId}/rating`, { token: readKey.key, body: { stars: 3 } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const viewer = await addMember(a, "viewer");
    await expectProblem(
      await api("POST", `/api/v1/ai/outputs/${outputId}/rating`, { token: viewer.accessToken, body: { stars: 3 } }),
      403,
      "FORBIDDEN",
    );
    const writeKey = await createKey(a, ["ai:read", "ai:write"]);
    const rated = await ok("POST", `/api/v1/ai/outputs/${outputId}/rating`, writeKey.key, { stars: 3 }, 200);
    expect(rated.rating).toMatchObject({ stars: 3, ratedBy: writeKey.id });
  });
});

describe("GET /api/v1/ai/content/templates", () => {
  it("counts generations, sends, replies and ratings per variant and ranks on the lower bound", async () => {
    // Before: B has the one generation (rated 5) from the test above, if it ran; count from here.
    const before = await ok("GET", "/api/v1/ai/content/templates", a.accessToken);
    const generatedBefore = (key: string) =>
      before.data.find((t: { templateId: string; variantKey: string }) => `${t.templateId}/${t.variantKey}` === key)
        .generated as number;
    const bBefore = generatedBefore(`${step1}/B`);

    const b1 = await generate(a, { templateId: step1, variantKey: "B" });
    const b2 = await generate(a, { templateId: step1, variantKey: "B", channel: "sms" });
    const a1 = await generate(a, { templateId: step1 });
    await generate(a, { template: { body: "Typed in: not a template of the tenant" } });
    await ok("POST", `/api/v1/ai/outputs/${b1.outputId}/rating`, a.accessToken, { stars: 4 }, 200);
    await ok("POST", `/api/v1/ai/outputs/${b2.outputId}/rating`, a.accessToken, { stars: 5 }, 200);
    await ok("POST", `/api/v1/ai/outputs/${a1.outputId}/rating`, a.accessToken, { stars: 2 }, 200);

    const stats = await ok("GET", "/api/v1/ai/content/templates", a.accessToken);
    const ratedBefore = bBefore === 1 ? [5] : [];
    const bRatings = [...ratedBefore, 4, 5];
    const bAverage = Math.round((bRatings.reduce((x, y) => x + y, 0) / bRatings.length) * 100) / 100;
    expect(stats.data).toEqual([
      {
        rank: 1,
        templateId: step1,
        variantKey: "A",
        name: "Outreach templates, step 1 variant A",
        sequenceId,
        channel: "email",
        subject: "A quick idea",
        generated: 1,
        sent: 40,
        replied: 20,
        replyRate: 0.5,
        replyRateLowerBound: 0.352,
        averageRating: 2,
        ratingCount: 1,
        why: "20 of 40 sends replied (50.0%); at least 35.2% with 95% confidence; rated 2 from 1.",
      },
      {
        rank: 2,
        templateId: step1,
        variantKey: "B",
        name: "Outreach templates, step 1 variant B",
        sequenceId,
        channel: "email",
        subject: "Ten minutes?",
        generated: bBefore + 2,
        sent: 2,
        replied: 2,
        replyRate: 1,
        replyRateLowerBound: 0.3424,
        averageRating: bAverage,
        ratingCount: bRatings.length,
        why: `2 of 2 sends replied (100.0%); at least 34.2% with 95% confidence; rated ${bAverage} from ${bRatings.length}.`,
      },
      {
        rank: 3,
        templateId: step2,
        variantKey: "A",
        name: "Outreach templates, step 2",
        sequenceId,
        channel: "sms",
        subject: null,
        generated: 0,
        sent: 0,
        replied: 0,
        replyRate: null,
        replyRateLowerBound: 0,
        averageRating: null,
        ratingCount: 0,
        why: "Not sent yet: no reply rate to rank on.",
      },
    ]);
    expect(stats.explanation).toBe(
      '"Outreach templates, step 1 variant A" ranks first: 20 replies from 40 sends (50.0%; at least 35.2% with ' +
        "95% confidence). Templates are ranked on that lower bound, so few sends cannot win on luck.",
    );
    expect(stats.engine).toEqual({ engine: "builtin", model: "template-ranking-wilson", version: "1" });
    expect(stats.factors[0]).toEqual({
      name: "Outreach templates, step 1 variant A",
      impact: 0.352,
      value: "20/40 replied, rated 2 (1)",
    });
  });

  it("another organization sees none of them; a deleted sequence's templates drop out", async () => {
    const other = await ok("GET", "/api/v1/ai/content/templates", b.accessToken);
    expect(other).toEqual({
      data: [],
      explanation: "No templates to rank.",
      factors: [],
      engine: { engine: "builtin", model: "template-ranking-wilson", version: "1" },
    });
    const gone = await ok("POST", "/api/v1/sequences", a.accessToken, {
      name: "Soon deleted",
      steps: [{ channel: "email", variants: [{ key: "A", weight: 100, subject: "Hi", body: "Hi" }] }],
    });
    const withIt = await ok("GET", "/api/v1/ai/content/templates", a.accessToken);
    expect(withIt.data.map((t: { name: string }) => t.name)).toContain("Soon deleted, step 1");
    await ok("DELETE", `/api/v1/sequences/${gone.id}`, a.accessToken, undefined, 204);
    const without = await ok("GET", "/api/v1/ai/content/templates", a.accessToken);
    expect(without.data.map((t: { name: string }) => t.name)).not.toContain("Soon deleted, step 1");
  });
});
