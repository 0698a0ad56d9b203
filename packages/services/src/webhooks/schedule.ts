/**
 * Waits before automatic retries, after attempt 1, 2, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h (Svix's schedule). Eight attempts over about 27.6 hours; every wait fits a Queues
 * message delay (at most 12 h), and anything longer (a large Retry-After) is re-enqueued.
 */
export const retryScheduleSeconds = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600] as const;

export const maxAutomaticAttempts = retryScheduleSeconds.length + 1;

/** Answers that say retrying cannot help: the delivery fails at once. */
export const finalStatusCodes = new Set([400, 401, 403, 404, 405, 410]);

/** How long the receiver has to answer. */
export const deliveryTimeoutMs = 10_000;

/** The longest Retry-After honoured; a longer one is clamped to it. */
export const maxRetryAfterSeconds = 24 * 3600;

/** Subscriptions are disabled after this many deliveries in a row failed for good. */
export const autoDisableAfterFailures = 5;

/** The longest delay a Queues message may carry. */
export const maxQueueDelaySeconds = 12 * 3600;

/** Seconds a Retry-After header asks for (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), maxRetryAfterSeconds);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, Math.ceil((date - now.getTime()) / 1000)), maxRetryAfterSeconds);
}
