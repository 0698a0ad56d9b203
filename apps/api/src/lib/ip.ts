/** The caller's address as Cloudflare reports it. */
export function clientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? request.headers.get("x-real-ip") ?? "127.0.0.1";
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

function expandIpv6(ip: string): bigint | null {
  if (!ip.includes(":")) return null;
  const [head, tail] = ip.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = tail !== undefined && tail !== "" ? tail.split(":") : [];
  if (ip.includes("::") ? headParts.length + tailParts.length > 7 : headParts.length !== 8) return null;
  const parts = [...headParts, ...Array(8 - headParts.length - tailParts.length).fill("0"), ...tailParts];
  let value = 0n;
  for (const part of parts) {
    if (!/^[0-9a-f]{1,4}$/i.test(part)) return null;
    value = (value << 16n) + BigInt(parseInt(part, 16));
  }
  return value;
}

/** Whether `entry` is an IPv4/IPv6 address or CIDR block (for validating allow-lists). */
export function isIpOrCidr(entry: string): boolean {
  const [addr, bits] = entry.split("/");
  if (!addr) return false;
  const v4 = ipv4ToInt(addr) !== null;
  const v6 = !v4 && expandIpv6(addr) !== null;
  if (!v4 && !v6) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (v4 ? 32 : 128);
}

/** Whether `ip` matches any address or CIDR block in the allow-list. */
export function ipAllowed(ip: string, allowlist: string[]): boolean {
  return allowlist.some((entry) => {
    const [addr, bitsText] = entry.split("/");
    if (!addr) return false;
    const v4 = ipv4ToInt(addr);
    const candidate4 = ipv4ToInt(ip);
    if (v4 !== null && candidate4 !== null) {
      const bits = bitsText === undefined ? 32 : Number(bitsText);
      if (bits === 0) return true;
      const mask = (0xffffffff << (32 - bits)) >>> 0;
      return (v4 & mask) >>> 0 === (candidate4 & mask) >>> 0;
    }
    const v6 = expandIpv6(addr);
    const candidate6 = expandIpv6(ip);
    if (v6 !== null && candidate6 !== null) {
      const bits = BigInt(bitsText === undefined ? 128 : Number(bitsText));
      const shift = 128n - bits;
      return v6 >> shift === candidate6 >> shift;
    }
    return false;
  });
}
