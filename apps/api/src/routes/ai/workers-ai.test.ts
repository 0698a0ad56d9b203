// The Workers AI path, with an `AI` binding this test supplies (the only stand-in: no model can
// run here). It checks what the provider sends (model, prompt, JSON schema), how the answer is
// parsed, and that an error, a timeout or an answer the schema refuses falls back to the
// built-in engine.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { analyzeSentiment, classifyReplyIntent, sentimentLabels } from "@crm/ai";
import { defaultWorkersAiModel, workersAiProviders } from "@crm/services";
import { beforeAll, describe, expect, it } from "vitest";
import { json, signupTenant, type TestTenant } from "../../../test/harness";
import { userIdOf } from "../../../test/people";
import worker from "../../worker";
import { insertContact } from "../tasks/test-support";

interface RunCall {
  model: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inputs: any;
}

/** An `AI` binding whose `run` answers with `answer(inputs)` and remembers every call. */
function fakeAi(answer: (inputs: unknown) => unknown) {
  const calls: RunCall[] = [];
  const binding = {
    run: async (model: string, inputs: unknown) => {
      calls.push({ model, inputs });
      return answer(inputs);
    },
  };
  return { calls, binding: binding as unknown as Ai };
}

/** A request to the Worker with the fake binding in its environment. */
async function withAi(ai: Ai, method: string, path: string, token: string, body?: unknown) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://crm.test${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }),
    { ...env, AI: ai } as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const workersAiEngine = { engine: "workers-ai", model: defaultWorkersAiModel, version: "1" };
const text = "Support has been slow for two weeks and nobody answers our tickets.";

let owner: TestTenant;
beforeAll(async () => {
  owner = await signupTenant("Workers AI");
});

describe("Workers AI through the AI binding", () => {
  it("sends the text with a JSON schema and answers the model's sentiment, with the built-in signals", async () => {
    const ai = fakeAi(() => ({
      response: {
        label: "negative",
        score: -0.62,
        explanation: "The writer complains about slow support and unanswered tickets.",
        factors: [
          { name: "slow", impact: -0.5 },
          { name: "nobody answers", impact: -0.4 },
        ],
      },
    }));
    const response = await withAi(ai.binding, "POST", "/api/v1/ai/sentiment", owner.accessToken, { text });
    expect(response.status, await response.clone().text()).toBe(200);
    const signals = analyzeSentiment(text).result;
    expect(await json(response)).toEqual({
      result: {
        label: "negative",
        score: -0.62,
        emotions: asJson(signals.emotions),
        keyPhrases: asJson(signals.keyPhrases),
        urgency: asJson(signals.urgency),
      },
      explanation: "The writer complains about slow support and unanswered tickets.",
      factors: [
        { name: "slow", impact: -0.5 },
        { name: "nobody answers", impact: -0.4 },
      ],
      engine: workersAiEngine,
    });

    expect(ai.calls).toHaveLength(1);
    const [call] = ai.calls;
    expect(call!.model).toBe(defaultWorkersAiModel);
    expect(call!.inputs.temperature).toBe(0);
    expect(call!.inputs.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user"]);
    expect(call!.inputs.messages[0].content).toContain("very_negative, negative, neutral, positive, very_positive");
    expect(call!.inputs.messages[1].content).toBe(`Text:\n"""\n${text}\n"""`);
    expect(call!.inputs.response_format.type).toBe("json_schema");
    const schema = call!.inputs.response_format.json_schema;
    expect(schema.properties.label.enum).toEqual([...sentimentLabels]);
    expect(schema.required).toEqual(["label", "score", "explanation", "factors"]);
  });

  it("falls back to the built-in engine when the binding fails or the answer breaks the schema", async () => {
    const failing = fakeAi(() => {
      throw new Error("3040: Capacity temporarily exceeded");
    });
    const failed = await withAi(failing.binding, "POST", "/api/v1/ai/sentiment", owner.accessToken, { text });
    expect(failed.status).toBe(200);
    expect(await json(failed)).toEqual(asJson(analyzeSentiment(text)));
    // One try: no retries while the person waits.
    expect(failing.calls).toHaveLength(1);

    const offSchema = fakeAi(() => ({ response: { label: "furious", score: -3, explanation: "", factors: [] } }));
    const refused = await withAi(offSchema.binding, "POST", "/api/v1/ai/sentiment", owner.accessToken, { text });
    expect(await json(refused)).toEqual(asJson(analyzeSentiment(text)));

    const notJson = fakeAi(() => ({ response: "I think this text is negative." }));
    const unparsed = await withAi(notJson.binding, "POST", "/api/v1/ai/sentiment", owner.accessToken, { text });
    expect((await json(unparsed)).engine.engine).toBe("builtin");
  });

  it("falls back when the model does not answer in time, and says why", async () => {
    const slow = fakeAi(() => new Promise((resolve) => setTimeout(() => resolve({ response: {} }), 2_000)));
    const reasons: string[] = [];
    const providers = workersAiProviders(slow.binding, {
      timeoutMs: 50,
      onFallback: (capability, error) => reasons.push(`${capability}: ${(error as Error).message}`),
    });
    const started = Date.now();
    const answer = await providers.sentiment.analyse(text);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(answer).toEqual(analyzeSentiment(text));
    expect(reasons).toEqual(["sentiment: Workers AI did not answer within 50 ms"]);
  });

  it("classifies a reply with the model's class and our rules' suggested action", async () => {
    const ai = fakeAi(() => ({
      response: {
        classification: "out_of_office",
        confidence: 0.91,
        explanation: "An automatic away message with a return date.",
        factors: [{ name: "out of the office until 5 March", impact: 2 }],
      },
    }));
    const reply = {
      text: "I am out of the office until 5 March with limited access to email.",
      subject: "Automatic reply: Quick question",
      receivedAt: "2026-03-02T10:00:00.000Z",
    };
    const response = await withAi(ai.binding, "POST", "/api/v1/ai/classify-reply", owner.accessToken, reply);
    expect(response.status, await response.clone().text()).toBe(200);
    const builtin = classifyReplyIntent({ ...reply, receivedAt: new Date(reply.receivedAt) });
    const answer = await json(response);
    expect(answer).toEqual({
      result: {
        classification: "out_of_office",
        confidence: 0.91,
        probabilities: { out_of_office: 0.91 },
        action: asJson(builtin.result.action),
        ownText: builtin.result.ownText,
      },
      explanation: `An automatic away message with a return date. ${builtin.result.action.description}`,
      factors: [{ name: "out of the office until 5 March", impact: 2 }],
      engine: workersAiEngine,
    });
    expect(answer.result.action.resumeOn).toBe("2026-03-06");
    const prompt = ai.calls[0]!.inputs.messages[1].content as string;
    expect(prompt).toBe(
      `Received: 2026-03-02T10:00:00.000Z\nFrom: \nSubject: Automatic reply: Quick question\n\n"""\n${reply.text}\n"""`,
    );
  });

  it("a note written with the binding stores the model's reading, engine and model", async () => {
    const ownerId = await userIdOf(owner);
    const contact = await insertContact(owner.tenantId, { ownerId });
    const ai = fakeAi(() => ({
      response: { label: "very_negative", score: -0.9, explanation: "Angry about the outage.", factors: [] },
    }));
    const created = await withAi(ai.binding, "POST", "/api/v1/notes", owner.accessToken, {
      recordType: "contact",
      recordId: contact.id,
      body: "They are angry about yesterday's outage.",
    });
    expect(created.status).toBe(201);
    const note = await json(created);
    const listed = await withAi(
      ai.binding,
      "GET",
      `/api/v1/ai/outputs?subjectType=note&subjectId=${note.id}`,
      owner.accessToken,
    );
    const [output] = (await json(listed)).data;
    expect([output.result.label, output.result.score, output.explanation, output.engine]).toEqual([
      "very_negative",
      -0.9,
      "Angry about the outage.",
      workersAiEngine,
    ]);
    const inbox = await withAi(ai.binding, "GET", "/api/v1/notifications", owner.accessToken);
    expect(
      (await json(inbox)).data
        .filter((n: { recordId: string }) => n.recordId === contact.id)
        .map((n: { message: string }) => n.message),
    ).toEqual(['Very negative sentiment (score -0.9) in a note: "They are angry about yesterday\'s outage."']);
  });

  it("writes content from the rendered template and keeps an SMS within 160 characters", async () => {
    const contact = await insertContact(owner.tenantId, { firstName: "Dana" });
    const long = `Hey Dana! ${"Our dashboards save hours every week. ".repeat(8)}`;
    const ai = fakeAi(() => ({ response: { subject: "ignored", body: long, explanation: "A casual SMS to Dana." } }));
    const response = await withAi(ai.binding, "POST", "/api/v1/ai/content", owner.accessToken, {
      channel: "sms",
      tone: "casual",
      contactId: contact.id,
      template: { body: "Hi {{contact.firstName|there}}, do you have ten minutes this week?" },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const answer = await json(response);
    expect(answer.engine).toEqual(workersAiEngine);
    expect(answer.result.subject).toBeNull();
    expect(answer.result.truncated).toBe(true);
    expect(answer.result.characters).toBeLessThanOrEqual(160);
    expect(answer.result.body.startsWith("Hey Dana! Our dashboards save hours every week.")).toBe(true);
    expect(answer.explanation).toBe("A casual SMS to Dana.");
    expect(answer.factors).toEqual([{ name: "contact.firstName", impact: 1, value: "Dana" }]);
    const prompt = ai.calls[0]!.inputs.messages[1].content as string;
    expect(prompt).toContain("Write a casual SMS (160 characters at most) from this draft.");
    expect(prompt).toContain("Dana");
    expect(prompt).not.toContain("{{");
  });
});
