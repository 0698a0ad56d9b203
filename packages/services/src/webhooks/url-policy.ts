/**
 * Where webhooks may be sent (SSRF). Outside development, only https URLs whose host is a
 * public name or a public IP literal. The WHATWG URL parser already rewrites the other
 * spellings of an IPv4 address (`2130706433`, `0x7f.1`, `0177.0.0.1`) to dotted decimal
 * and compresses IPv6, so checking `url.hostname` covers them.
 *
 * Not covered: a public name that resolves to a private address (DNS rebinding). Workers
 * cannot resolve a name before `fetch` nor pin the address fetch connects to; Cloudflare's
 * own edge does not route Worker subrequests to private networks, which is the defence there.
 */
export interface UrlPolicy {
  /** Development and tests: http and loopback/private hosts are allowed (local receivers). */
  allowPrivateTargets: boolean;
}

export function urlPolicyFor(environment: string | undefined): UrlPolicy {
  return { allowPrivateTargets: environment === "development" || environment === "test" };
}

/** Why a webhook URL is refused, or null when it may be used. */
export function webhookUrlProblem(raw: string, policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Must be an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Must be an http(s) URL";
  if (url.username || url.password) return "Must not contain credentials";
  if (policy.allowPrivateTargets) return null;
  if (url.protocol !== "https:") return "Must use https";
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) return privateIpv6(host.slice(1, -1)) ? "Must not point to a private address" : null;
  const ipv4 = parseIpv4(host);
  if (ipv4) return privateIpv4(ipv4) ? "Must not point to a private address" : null;
  if (internalName(host)) return "Must not point to an internal host name";
  return null;
}

const internalSuffixes = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".intranet", ".lan"];
const internalNames = new Set(["localhost", "metadata", "metadata.google.internal", "instance-data"]);

function internalName(host: string): boolean {
  if (internalNames.has(host)) return true;
  if (internalSuffixes.some((suffix) => host.endsWith(suffix))) return true;
  // A single label (no dot) resolves through search domains: an intranet host.
  return !host.includes(".");
}

function parseIpv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Private, loopback, link-local (incl. cloud metadata 169.254.169.254), CGNAT, reserved, multicast. */
function privateIpv4([a, b, c]: number[]): boolean {
  if (a === undefined || b === undefined || c === undefined) return true;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a >= 224
  );
}

/** Expands an IPv6 literal (as the URL parser prints it) into eight 16-bit groups. */
function ipv6Groups(literal: string): number[] | null {
  let text = literal.toLowerCase();
  const embedded = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (embedded) {
    const v4 = parseIpv4(embedded[1]!);
    if (!v4) return null;
    text =
      text.slice(0, -embedded[1]!.length) +
      `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 0) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function privateIpv6(literal: string): boolean {
  const g = ipv6Groups(literal);
  if (!g) return true;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const v4 = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  const firstSixZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstSixZero && g5 === 0) return true; // ::, ::1, IPv4-compatible ::a.b.c.d
  if (firstSixZero && g5 === 0xffff) return privateIpv4(v4); // IPv4-mapped ::ffff:a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b) return privateIpv4(v4); // NAT64 64:ff9b::a.b.c.d
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7 (incl. fd00:ec2::254 metadata)
  if ((g0 & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g0 & 0xff00) === 0xff00) return true; // multicast ff00::/8
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  if (g0 === 0x2002) return privateIpv4([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff]); // 6to4
  return g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0; // discard 100::/64
}
