/** `https://www.Example.com/about` → `example.com`: the form domains are compared in. */
export function normalizeDomain(input: string): string | null {
  let value = input.trim().toLowerCase();
  if (!value) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(value)) value = `http://${value}`;
  let host: string;
  try {
    host = new URL(value).hostname;
  } catch {
    return null;
  }
  host = host.replace(/^www\./, "").replace(/\.$/, "");
  if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/.test(host)) return null;
  return host;
}

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

/** Trimmed, lower-cased, de-duplicated tags, in the order first given. */
export function normalizeTags(tags: string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const t = tag.trim().toLowerCase().replace(/\s+/g, " ");
    if (t) seen.add(t);
  }
  return [...seen];
}
