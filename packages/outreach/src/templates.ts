// Personalisation tokens in outreach subjects and bodies: `{{contact.firstName|there}}`. A token
// names a field of the contact, its company, its open deal or the sender; after `|` comes the
// fallback used when the value is empty. Unknown tokens are refused when a sequence is saved,
// so a typo never reaches a recipient as literal braces.

/** Every `{{ ... }}`, well-formed or not: malformed ones are reported rather than sent. */
const tokenPattern = /\{\{([^{}]*)\}\}/g;
const pathPattern = /^([a-z]+)\.([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)?)$/;

/** The fields each token root offers. `contact.customFields.<key>` is checked against the tenant's keys. */
export const templateFields = {
  contact: ["firstName", "lastName", "fullName", "email", "title", "phone", "timeZone"],
  company: ["name", "domain", "industry", "website"],
  deal: ["name", "value", "currency"],
  sender: ["name", "email"],
} as const;

export type TemplateRoot = keyof typeof templateFields;

/** The values a template is rendered with; absent or empty values take the token's fallback. */
export interface TemplateData {
  contact: Record<string, unknown> & { customFields?: Record<string, unknown> };
  company?: Record<string, unknown> | null;
  deal?: Record<string, unknown> | null;
  sender?: Record<string, unknown> | null;
}

export interface ParsedToken {
  /** The whole token as written, `{{contact.firstName|there}}`. */
  raw: string;
  root: string;
  field: string;
  fallback: string | null;
  /** Offset of the token in the template. */
  index: number;
}

export interface TemplateProblem {
  token: string;
  message: string;
}

function parseToken(raw: string, inner: string, index: number): ParsedToken | TemplateProblem {
  const bar = inner.indexOf("|");
  const path = (bar === -1 ? inner : inner.slice(0, bar)).trim();
  const fallback = bar === -1 ? null : inner.slice(bar + 1).trim();
  const match = pathPattern.exec(path);
  if (!match) return { token: raw, message: `${raw} is not a token: write {{contact.firstName}} or similar` };
  return { raw, root: match[1]!, field: match[2]!, fallback, index };
}

/** The tokens of a template, in order (malformed ones left out: templateProblems reports them). */
export function templateTokens(template: string): ParsedToken[] {
  const tokens: ParsedToken[] = [];
  for (const m of template.matchAll(tokenPattern)) {
    const parsed = parseToken(m[0], m[1]!, m.index);
    if ("root" in parsed) tokens.push(parsed);
  }
  return tokens;
}

/**
 * What is wrong with a template's tokens: malformed tokens, unknown roots or fields, custom
 * fields the tenant does not define. Empty when every token can be rendered.
 */
export function templateProblems(template: string, options: { contactCustomFields?: readonly string[] } = {}) {
  const problems: TemplateProblem[] = [];
  for (const m of template.matchAll(tokenPattern)) {
    const parsed = parseToken(m[0], m[1]!, m.index);
    if (!("root" in parsed)) {
      problems.push(parsed);
      continue;
    }
    const { root, field, raw } = parsed;
    if (!(root in templateFields)) {
      problems.push({
        token: raw,
        message: `Unknown token ${raw}: it must start with contact, company, deal or sender`,
      });
      continue;
    }
    if (root === "contact" && field.startsWith("customFields.")) {
      const key = field.slice("customFields.".length);
      if (!(options.contactCustomFields ?? []).includes(key)) {
        problems.push({ token: raw, message: `Unknown token ${raw}: contacts have no custom field "${key}"` });
      }
      continue;
    }
    if (!(templateFields[root as TemplateRoot] as readonly string[]).includes(field)) {
      const known = templateFields[root as TemplateRoot].map((f) => `${root}.${f}`).join(", ");
      problems.push({ token: raw, message: `Unknown token ${raw}: use one of ${known}` });
    }
  }
  // An opening `{{` without its closing pair would be sent as is.
  const unclosed = template.replace(tokenPattern, "").indexOf("{{");
  if (unclosed !== -1) problems.push({ token: "{{", message: "A token is opened with {{ but never closed with }}" });
  return problems;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(display).join(", ");
  if (typeof value === "object") return "";
  return String(value);
}

function valueOf(data: TemplateData, root: string, field: string): unknown {
  const source = data[root as TemplateRoot];
  if (!source) return undefined;
  if (root === "contact" && field.startsWith("customFields.")) {
    return data.contact.customFields?.[field.slice("customFields.".length)];
  }
  return (source as Record<string, unknown>)[field];
}

/** The template with every token replaced by its value, or its fallback (or nothing) when empty. */
export function renderTemplate(template: string, data: TemplateData): string {
  return template.replace(tokenPattern, (raw, inner: string, index: number) => {
    const parsed = parseToken(raw, inner, index);
    if (!("root" in parsed)) return raw;
    const value = display(valueOf(data, parsed.root, parsed.field)).trim();
    return value === "" ? (parsed.fallback ?? "") : value;
  });
}
