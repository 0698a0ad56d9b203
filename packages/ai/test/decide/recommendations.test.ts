import { describe, expect, it } from "vitest";
import {
  type Recommendation,
  isRecommendationExpired,
  nextBestAction,
  recommendationFrom,
  transitionRecommendation,
} from "../../src";

const now = "2026-03-10T12:00:00.000Z";

function pending(): Recommendation {
  const action = nextBestAction(
    {
      recordType: "lead",
      recordId: "ld_1",
      lastReply: { class: "question", at: "2026-03-10T09:00:00.000Z" },
    },
    now,
  );
  return recommendationFrom(action, now)!;
}

/** Moves through statuses, failing the test on a refusal. */
function move(recommendation: Recommendation, to: Recommendation["status"], at: string): Recommendation {
  const moved = transitionRecommendation(recommendation, to, at);
  if (!moved.ok) throw new Error(moved.message);
  return moved.recommendation;
}

describe("recommendations", () => {
  it("is made pending from a next best action, with its priority, confidence, expiry and reasons", () => {
    expect(pending()).toEqual({
      type: "answer_question",
      recordType: "lead",
      recordId: "ld_1",
      priority: 88,
      confidence: 0.9,
      status: "pending",
      reasoning: "The contact asked a question that has no answer yet. Priority 88.",
      engine: { engine: "builtin", model: "next-best-action-rules", version: "1" },
      createdAt: now,
      expiresAt: "2026-03-12T12:00:00.000Z",
      viewedAt: null,
      acceptedAt: null,
      dismissedAt: null,
      completedAt: null,
    });
    expect(recommendationFrom(nextBestAction({ recordType: "lead", recordId: "ld_2" }, now), now)).toBeNull();
  });

  it("goes pending → viewed → accepted → completed, stamping each step", () => {
    const viewed = move(pending(), "viewed", "2026-03-10T13:00:00.000Z");
    expect(viewed).toMatchObject({ status: "viewed", viewedAt: "2026-03-10T13:00:00.000Z", acceptedAt: null });
    const accepted = move(viewed, "accepted", "2026-03-11T09:00:00.000Z");
    expect(accepted).toMatchObject({
      status: "accepted",
      viewedAt: "2026-03-10T13:00:00.000Z",
      acceptedAt: "2026-03-11T09:00:00.000Z",
    });
    // Work accepted before the expiry may be finished after it.
    const completed = move(accepted, "completed", "2026-03-13T09:00:00.000Z");
    expect(completed).toMatchObject({ status: "completed", completedAt: "2026-03-13T09:00:00.000Z" });
    const dismissed = move(move(pending(), "viewed", now), "dismissed", now);
    expect(dismissed).toMatchObject({ status: "dismissed", dismissedAt: now });
  });

  it("refuses moves the life cycle does not allow", () => {
    expect(transitionRecommendation(pending(), "accepted", now)).toEqual({
      ok: false,
      code: "invalid_transition",
      message: "A pending recommendation can become viewed, not accepted.",
    });
    const accepted = move(move(pending(), "viewed", now), "accepted", now);
    expect(transitionRecommendation(accepted, "dismissed", now)).toEqual({
      ok: false,
      code: "invalid_transition",
      message: "An accepted recommendation can become completed, not dismissed.",
    });
    const completed = move(accepted, "completed", now);
    expect(transitionRecommendation(completed, "dismissed", now)).toEqual({
      ok: false,
      code: "invalid_transition",
      message: "A completed recommendation is final; it cannot become dismissed.",
    });
    const viewed = move(pending(), "viewed", now);
    expect(transitionRecommendation(viewed, "pending", now)).toMatchObject({ ok: false, code: "invalid_transition" });
  });

  it("expires: a stale recommendation cannot be viewed or accepted, only dismissed", () => {
    expect(isRecommendationExpired(pending(), "2026-03-12T11:59:59.000Z")).toBe(false);
    expect(isRecommendationExpired(pending(), "2026-03-12T12:00:00.000Z")).toBe(true);
    expect(transitionRecommendation(pending(), "viewed", "2026-03-12T12:00:00.000Z")).toEqual({
      ok: false,
      code: "expired",
      message: "The recommendation expired at 2026-03-12T12:00:00.000Z; it cannot become viewed.",
    });
    const viewed = move(pending(), "viewed", now);
    expect(transitionRecommendation(viewed, "accepted", "2026-03-13T00:00:00.000Z")).toMatchObject({
      ok: false,
      code: "expired",
    });
    expect(move(viewed, "dismissed", "2026-03-13T00:00:00.000Z").status).toBe("dismissed");
    const accepted = move(viewed, "accepted", now);
    expect(isRecommendationExpired(accepted, "2026-03-20T00:00:00.000Z")).toBe(false);
  });
});
