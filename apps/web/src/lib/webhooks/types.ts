/** API shapes of outbound webhooks (see /openapi.json: Webhook, WebhookDelivery). */

export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  active: boolean;
  /** Deliveries that failed for good in a row; 5 disable the webhook. */
  consecutiveFailures: number;
  disabledAt: string | null;
  disabledReason: string | null;
  /** After a rotation: until then the old secret signs alongside the new one. */
  previousSecretExpiresAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookWithSecret extends Webhook {
  secret: string;
}

export type DeliveryStatus = "pending" | "delivering" | "succeeded" | "failed";

export interface WebhookAttempt {
  attempt: number;
  manual: boolean;
  url: string;
  outcome: "succeeded" | "retrying" | "failed" | "refused";
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  nextRetryAt: string | null;
  attemptedAt: string;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
  completedAt: string | null;
  attempts: WebhookAttempt[];
}

type Tone = "neutral" | "accent" | "success" | "danger" | "warning";

/** How a subscription reads in the list: paused by a person, disabled after failures, failing, or fine. */
export function webhookState(hook: Webhook): { label: string; tone: Tone } {
  if (hook.disabledAt) return { label: "Disabled after failures", tone: "danger" };
  if (!hook.active) return { label: "Paused", tone: "neutral" };
  if (hook.consecutiveFailures > 0) return { label: `Failing (${hook.consecutiveFailures} in a row)`, tone: "warning" };
  return { label: "Active", tone: "success" };
}

export const deliveryStates: Record<DeliveryStatus, { label: string; tone: Tone }> = {
  pending: { label: "Pending", tone: "accent" },
  delivering: { label: "Delivering", tone: "accent" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
};

export const attemptOutcomes: Record<WebhookAttempt["outcome"], { label: string; tone: Tone }> = {
  succeeded: { label: "Succeeded", tone: "success" },
  retrying: { label: "Failed, will retry", tone: "warning" },
  failed: { label: "Failed", tone: "danger" },
  refused: { label: "Refused (URL not allowed)", tone: "danger" },
};

/** "All events" or the first few event types. */
export function eventsSummary(eventTypes: string[]): string {
  if (eventTypes.includes("*")) return "All events";
  return eventTypes.length <= 3
    ? eventTypes.join(", ")
    : `${eventTypes.slice(0, 3).join(", ")} +${eventTypes.length - 3}`;
}
