// Spreading a mailbox's sends: at most `dailyCap` per UTC day, and at least
// `minSpacingSeconds` between two sends. The database does the reserving (one conditional
// statement each); these say what the reserved values mean.

/** The UTC day ("YYYY-MM-DD") a send counts against. */
export function capDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** When the daily cap frees up again: the next UTC midnight. */
export function capResetsAt(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/**
 * The earliest instant the next send may go out: `now`, or `minSpacingSeconds` after the
 * previous send when that is later.
 */
export function nextSendSlot(now: Date, lastSentAt: Date | null, minSpacingSeconds: number): Date {
  if (!lastSentAt) return new Date(now.getTime());
  return new Date(Math.max(now.getTime(), lastSentAt.getTime() + minSpacingSeconds * 1000));
}
