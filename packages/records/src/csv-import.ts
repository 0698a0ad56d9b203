import type { CustomFieldDefinition, CustomFieldValue } from "./custom-fields";

/** A field a CSV column can be mapped to: a standard field of the object or `cf.<key>`. */
export interface ImportField {
  /** The mapping target: `firstName`, `email`, `cf.plan`. */
  target: string;
  label: string;
  /** Other header spellings people use for it ("E-mail", "Email Address"). */
  aliases?: string[];
}

/** `"E-mail Address"` → `"emailaddress"`: how headers are compared and remembered. */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** Levenshtein distance, for near-miss spellings ("Frist Name"). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** How well a normalised header names a field: 3 exact, 2 near miss, 0 not at all. */
function matchScore(header: string, field: ImportField): number {
  const names = [field.target, field.label, ...(field.aliases ?? [])].map(normalizeHeader).filter(Boolean);
  if (names.includes(header)) return 3;
  // One typo per six letters: "frist name" is first name, "name" is not "game".
  if (header.length >= 4 && names.some((name) => editDistance(header, name) <= Math.floor(name.length / 6))) return 2;
  return 0;
}

/**
 * A suggested target per column (or null): a mapping the tenant made before for the header
 * wins, then an exact or alias match, then a near-miss spelling. No two columns get the
 * same target: the first column claiming it keeps it.
 */
export function suggestMapping(
  columns: string[],
  fields: ImportField[],
  remembered: Record<string, string> = {},
): Record<string, string | null> {
  const targets = new Set(fields.map((f) => f.target));
  const taken = new Set<string>();
  const result: Record<string, string | null> = {};
  const claim = (column: string, target: string | null) => {
    if (target && !taken.has(target)) {
      taken.add(target);
      result[column] = target;
      return true;
    }
    return false;
  };
  // Remembered choices first, so they win over a guess for another column.
  for (const column of columns) {
    const target = remembered[normalizeHeader(column)];
    if (target && targets.has(target)) claim(column, target);
  }
  for (const score of [3, 2]) {
    for (const column of columns) {
      if (result[column] !== undefined) continue;
      const header = normalizeHeader(column);
      if (!header) continue;
      const field = fields.find((f) => !taken.has(f.target) && matchScore(header, f) === score);
      if (field) claim(column, field.target);
    }
  }
  for (const column of columns) result[column] ??= null;
  return result;
}

/** The importable fields of an object: its standard fields, then one per custom field. */
export function importFieldsWithCustom(standard: ImportField[], definitions: CustomFieldDefinition[]): ImportField[] {
  return [...standard, ...definitions.map((d) => ({ target: `cf.${d.key}`, label: d.label, aliases: [d.key] }))];
}

const trueWords = new Set(["true", "yes", "y", "1", "x", "on", "oui", "ja", "si"]);
const falseWords = new Set(["false", "no", "n", "0", "off", "non", "nein"]);

/** "Yes" → true, "0" → false; anything else is returned as given so validation names it. */
export function parseBooleanCell(value: string): boolean | string {
  const word = value.trim().toLowerCase();
  if (trueWords.has(word)) return true;
  if (falseWords.has(word)) return false;
  return value;
}

/**
 * A number from a cell: "1,250.50", "1 250,50", "$1,250" and "1250" all read as numbers;
 * anything else is returned as given so validation names it.
 */
export function parseNumberCell(value: string): number | string {
  let text = value
    .trim()
    .replace(/^[$€£¥]\s*|\s*[$€£¥]$/g, "")
    .replace(/[\s\u00a0']/g, "");
  // "1,250" (three digits after one comma) is read the English way: a thousand and more.
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text) || /^-?\d+,(\d{1,2}|\d{4,})$/.test(text)) {
    // European: dots group thousands, the comma is the decimal point.
    text = text.replace(/\./g, "").replace(",", ".");
  } else {
    text = text.replace(/,/g, "");
  }
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return value;
  const number = Number(text);
  return Number.isFinite(number) ? number : value;
}

/** "a, b; c" → ["a", "b", "c"]: lists (tags, multi-selects) in one cell. */
export function splitListCell(value: string): string[] {
  return value
    .split(/[,;|]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A custom field's value from its cell, typed as the field wants it; blank is undefined (left alone). */
export function customFieldCell(definition: CustomFieldDefinition, value: string): CustomFieldValue | undefined {
  const text = value.trim();
  if (!text) return undefined;
  switch (definition.type) {
    case "number":
      return parseNumberCell(text);
    case "boolean":
      return parseBooleanCell(text);
    case "multi_select":
      return splitListCell(text);
    default:
      return text;
  }
}

/**
 * Windows-1252 differs from Latin-1 only in 0x80–0x9F, where it has typographic characters
 * (€, curly quotes, dashes). Files are parsed as Latin-1 (one byte, one character, so byte
 * offsets stay exact) and these 27 characters are put right afterwards.
 */
const windows1252High: Record<number, string> = {
  0x80: "€",
  0x82: "‚",
  0x83: "ƒ",
  0x84: "„",
  0x85: "…",
  0x86: "†",
  0x87: "‡",
  0x88: "ˆ",
  0x89: "‰",
  0x8a: "Š",
  0x8b: "‹",
  0x8c: "Œ",
  0x8e: "Ž",
  0x91: "‘",
  0x92: "’",
  0x93: "“",
  0x94: "”",
  0x95: "•",
  0x96: "–",
  0x97: "—",
  0x98: "˜",
  0x99: "™",
  0x9a: "š",
  0x9b: "›",
  0x9c: "œ",
  0x9e: "ž",
  0x9f: "Ÿ",
};

/** Text read as Latin-1 turned into what the Windows-1252 bytes meant. */
export function latin1ToWindows1252(text: string): string {
  return /[\u0080-\u009f]/.test(text)
    ? text.replace(/[\u0080-\u009f]/g, (c) => windows1252High[c.charCodeAt(0)] ?? c)
    : text;
}
