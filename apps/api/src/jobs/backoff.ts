/** Seconds before retry n (1-based): 10 s, 20 s, 40 s … capped at one hour, with jitter. */
export function retryDelaySeconds(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3600, 10 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + random() * 0.4));
}

/** A failure that retrying cannot fix (bad message, missing record): not retried. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}
