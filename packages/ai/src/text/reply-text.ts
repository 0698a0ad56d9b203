// What a reply's sender wrote: quoted history, forwarded headers and the signature removed;
// and the details a reply can carry (a return date, a referred person).

const quoteHeaders: RegExp[] = [
  /^On\b.{0,300}\bwrote:\s*$/i,
  /^Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^Am\b.{0,300}\bschrieb.{0,80}:\s*$/i,
  /^El\b.{0,300}\bescribió:\s*$/i,
  /^-{2,}\s*(Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}$/i,
  /^_{10,}$/,
];

// A line that ends the own text together with what follows (a short signature).
const signOff =
  /^(best|thanks|thank you|many thanks|thanks again|regards|best regards|kind regards|warm regards|warmly|cheers|sincerely|yours|all the best|mit freundlichen grüßen|viele grüße|cordialement|saludos|un saludo|distinti saluti)[,.!]?\s*$/i;
const deviceFooter = /^(sent from my|enviado desde mi|envoyé de mon|von meinem|get outlook for)\b/i;

/** The part of a plain-text reply its sender wrote, without quoted history or signature. */
export function replyOwnText(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const own: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // Mail clients wrap a long "On <date>, <name> <address> wrote:" over two lines.
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!.trim()}` : line;
    if (quoteHeaders.some((p) => p.test(line)) || (/^On\b/.test(line) && /\bwrote:\s*$/i.test(joined))) break;
    if (/^From:\s.+/i.test(line) && lines.slice(i + 1, i + 4).some((l) => /^(Sent|Date|To|Subject):/i.test(l.trim())))
      break;
    if (line === "--" || line === "-- " || deviceFooter.test(line)) break;
    if (line.startsWith(">")) continue;
    own.push(lines[i]!);
  }
  // A sign-off line ("Best,", "Thanks") near the end starts the signature.
  const nonEmpty = own.map((l, i) => [l.trim(), i] as const).filter(([l]) => l !== "");
  for (let k = 1; k < nonEmpty.length; k++) {
    const [line, at] = nonEmpty[k]!;
    if (signOff.test(line) && nonEmpty.length - k <= 6) {
      own.length = at;
      break;
    }
  }
  return own.join("\n").trim();
}

const monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const month =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const ordinal = "(\\d{1,2})(?:st|nd|rd|th)?";

interface DateMention {
  at: number;
  end: number;
  /** A calendar date (YYYY-MM-DD) once resolved against the reference date. */
  date: string | null;
}

function iso(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** The first such day-and-month on or after the reference day. */
function nextOccurrence(m: number, d: number, reference: Date | undefined): string | null {
  if (!reference) return null;
  const today = reference.toISOString().slice(0, 10);
  const y = reference.getUTCFullYear();
  const thisYear = iso(y, m, d);
  return thisYear !== null && thisYear >= today ? thisYear : iso(y + 1, m, d);
}

function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

function findDates(text: string, reference: Date | undefined): DateMention[] {
  const found: DateMention[] = [];
  const add = (match: RegExpMatchArray, date: string | null) => {
    const at = match.index!;
    if (found.some((f) => at < f.end && f.at < at + match[0].length)) return; // overlaps an earlier reading
    found.push({ at, end: at + match[0].length, date });
  };
  const monthOf = (name: string) => monthNames.indexOf(name.slice(0, 3).toLowerCase()) + 1;
  for (const m of text.matchAll(new RegExp(`\\b${ordinal}(?: of)? ${month}\\.?(?:,? (\\d{4}))?\\b`, "gi"))) {
    const day = Number(m[1]);
    add(m, m[3] ? iso(Number(m[3]), monthOf(m[2]!), day) : nextOccurrence(monthOf(m[2]!), day, reference));
  }
  for (const m of text.matchAll(new RegExp(`\\b${month}\\.? ${ordinal}\\b(?:,? (\\d{4}))?`, "gi"))) {
    const day = Number(m[2]);
    add(m, m[3] ? iso(Number(m[3]), monthOf(m[1]!), day) : nextOccurrence(monthOf(m[1]!), day, reference));
  }
  // Numeric dates are read day first (24.04.2026, 24/04/2026), as most of the world writes them.
  for (const m of text.matchAll(/\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/g)) {
    add(m, iso(Number(m[3]), Number(m[2]), Number(m[1])));
  }
  if (reference) {
    for (const m of text.matchAll(/\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi)) {
      // "Monday, 16 March": the date that follows says which Monday.
      if (new RegExp(`^,?\\s*(the\\s+)?(\\d|${month})`, "i").test(text.slice(m.index! + m[0].length))) continue;
      const target = weekdayNames.indexOf(m[1]!.toLowerCase());
      const ahead = (target - reference.getUTCDay() + 7) % 7 || 7;
      add(m, addDays(reference.toISOString().slice(0, 10), ahead));
    }
    for (const m of text.matchAll(/\btomorrow\b/gi)) add(m, addDays(reference.toISOString().slice(0, 10), 1));
  }
  return found.sort((a, b) => a.at - b.at);
}

/**
 * The day an absent sender is back, from "back on 17 August", "returning January 6",
 * "until 24.04.2026" (back the day after) or "back tomorrow". Dates without a year, weekdays
 * and "tomorrow" need the reply's date (`reference`); null when no date is given.
 */
export function parseReturnDate(text: string, reference?: Date): string | null {
  const dates = findDates(text, reference).filter((d) => d.date !== null);
  const lower = text.toLowerCase();
  // "back in the office on 17 August" allows a few words between cue and date; "until" fewer,
  // and "to" only right before the date ("from 3 to 14 August").
  const cues: { pattern: RegExp; wordsBetween: number; daysAfter: number }[] = [
    { pattern: /\b(back|return|returning|resume)\b/g, wordsBetween: 4, daysAfter: 0 },
    { pattern: /\b(until|till|through|thru|jusqu'au|bis|hasta el|fino al)\b/g, wordsBetween: 2, daysAfter: 1 },
    { pattern: /\bto\b/g, wordsBetween: 0, daysAfter: 1 },
  ];
  for (const cue of cues) {
    for (const m of lower.matchAll(cue.pattern)) {
      const cueEnd = m.index! + m[0].length;
      const next = dates.find((d) => d.at >= cueEnd && d.at - cueEnd <= 40);
      if (!next) continue;
      const between = lower.slice(cueEnd, next.at).match(/[a-zäöüß']+/g) ?? [];
      if (between.length <= cue.wordsBetween && !/[.;!?]/.test(lower.slice(cueEnd, next.at))) {
        return addDays(next.date!, cue.daysAfter);
      }
    }
  }
  return null;
}

export interface ReferredContact {
  name: string | null;
  email: string | null;
}

const notNames = new Set(
  `I Hi Hello Hey Dear Thanks Thank Please Kindly Sorry Yes No Not The This That He She Her His Our My We You Your Dr Mr Mrs Ms
  Head Director Manager Sales Marketing Operations Monday Tuesday Wednesday Thursday Friday Saturday Sunday CEO CTO CFO COO IT
  January February March April May June July August September October November December Try Talk Reach Contact Ce`.split(
    /\s+/,
  ),
);

/** The person a reply points to: an address other than the sender's, and a name near it. */
export function findReferredContact(ownText: string, senderAddress?: string | null): ReferredContact {
  const sender = (senderAddress ?? "").trim().toLowerCase();
  const emails = [...ownText.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)]
    .map((m) => ({ email: m[0].replace(/\.$/, "").toLowerCase(), at: m.index! }))
    .filter((e) => e.email !== sender);
  const namePattern = "[A-Z](?:'[A-Z])?[a-z]+(?:-[A-Z][a-z]+)?"; // Karen, O'Brien, Smith-Jones
  const names = [...ownText.matchAll(new RegExp(`\\b(${namePattern})(?: (${namePattern}))?\\b`, "g"))]
    .map((m) => ({ first: m[1]!, last: m[2] ?? null, at: m.index! }))
    .filter((n) => !notNames.has(n.first) && !(n.last !== null && notNames.has(n.last)))
    .filter((n) => !/[A-Za-z0-9._%+-]@/.test(ownText.slice(n.at, n.at + n.first.length + (n.last?.length ?? 0) + 2)));
  const email = emails[0] ?? null;
  let name: { first: string; last: string | null } | undefined;
  if (email) {
    const local = email.email.split("@")[0]!.split(/[._-]/);
    name =
      names.find(
        (n) =>
          local.includes(n.first.toLowerCase()) ||
          (n.last !== null && local.includes(n.last.toLowerCase().replace(/'/g, ""))),
      ) ?? names.find((n) => local[0] === n.first.toLowerCase().slice(0, local[0]!.length) && local[0]!.length === 1);
  }
  // Without an address, the name right after "to", "contact", "is", "colleague"...
  name ??= names.find((n) =>
    /\b(to|contact|with|is|colleague|director|manager|partner|successor|owner|brother|sister|wife|husband|lead|in|try|email)[,:]?\s+((dr|mr|mrs|ms)\.?\s+)?$/i.test(
      ownText.slice(Math.max(0, n.at - 20), n.at),
    ),
  );
  return {
    name: name ? [name.first, name.last].filter((x) => x !== null).join(" ") : null,
    email: email?.email ?? null,
  };
}
