/** Money and dates as people read them, in the browser's locale (or the server's on first paint). */
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `12000, "EUR"` → "€12,000"; cents only when there are any. */
export function formatMoney(value: number, currency: string): string {
  const whole = Number.isInteger(value);
  const key = `${currency}:${whole}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat("en-US", {
        style: "currency",
        currency,
        minimumFractionDigits: whole ? 0 : 2,
        maximumFractionDigits: whole ? 0 : 2,
      });
    } catch {
      // An unknown currency code still shows the amount.
      format = new Intl.NumberFormat("en-US", { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(key, format);
  }
  return format.format(value);
}

/** "$1.2M" style, for chart axes where space is short. */
export function formatMoneyShort(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      notation: "compact",
      maximumFractionDigits: 1,
    }).format(value);
  } catch {
    return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(value);
  }
}

/**
 * The currency a sum of deals is shown in: the deals' common currency. The API adds values
 * as numbers, so a column mixing currencies has no single currency: null then.
 */
export function commonCurrency(currencies: Iterable<string>, fallback = "USD"): string | null {
  let found: string | null = null;
  for (const currency of currencies) {
    if (found === null) found = currency;
    else if (found !== currency) return null;
  }
  return found ?? fallback;
}

const dayFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});

/** "2026-12-31" → "Dec 31, 2026" (a calendar date: no time zone shift). */
export function formatDay(isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : dayFormat.format(date);
}

/** A time of day in `timeZone` (the page passes the zone it loaded with, so server and browser agree). */
export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone }).format(new Date(iso));
}

export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  }).format(new Date(iso));
}

export function formatPercent(ratio: number): string {
  return new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}
