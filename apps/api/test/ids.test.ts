import { newId } from "@crm/db";
import { describe, expect, it } from "vitest";

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

/** The 128 bits behind a TypeID suffix (26 base32 characters, the first carrying 3 bits). */
function suffixBits(id: string): bigint {
  const suffix = id.slice(id.indexOf("_") + 1);
  let bits = 0n;
  for (const char of suffix) bits = (bits << 5n) | BigInt(alphabet.indexOf(char));
  return bits;
}

describe("newId", () => {
  it("makes TypeIDs over UUIDv7: prefix, version 7, RFC variant, the current millisecond", () => {
    const before = Date.now();
    const id = newId("contact");
    expect(id).toMatch(/^ct_[0-7][0-9a-hjkmnp-tv-z]{25}$/);
    const bits = suffixBits(id);
    expect(bits >> 128n).toBe(0n);
    expect(Number((bits >> 76n) & 0xfn)).toBe(7);
    expect(Number((bits >> 62n) & 0x3n)).toBe(0b10);
    const ms = Number(bits >> 80n);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it("sorts in the order ids were made, also within one millisecond, and never repeats", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => newId(i % 2 ? "audit" : "contact").replace(/^[a-z]+_/, ""));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
