import { isoTime } from "@crm/services";
import { describe, expect, it } from "vitest";

describe("isoTime", () => {
  it("writes what Date.toISOString writes, at the edges of days, months, leap years and the four-digit years", () => {
    const edges = [
      0, 1, 999, 1_000, 59_999, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 951_868_800_000,
      4_107_542_399_999, 4_107_542_400_000, 1_764_633_600_123, 253_402_300_799_999, -62_167_219_200_000,
    ];
    for (const ms of edges) expect(isoTime(new Date(ms)), String(ms)).toBe(new Date(ms).toISOString());
  });

  it("matches Date.toISOString on 200,000 random times from year 0001 to 9999", () => {
    const mismatches: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const date = new Date(Math.floor(Math.random() * 315_537_897_600_000) - 62_135_596_800_000);
      if (isoTime(date) !== date.toISOString()) mismatches.push(`${date.getTime()}: ${isoTime(date)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("leaves times before 1970, six-digit years and invalid dates to toISOString", () => {
    expect(isoTime(new Date(253_402_300_800_000))).toBe("+010000-01-01T00:00:00.000Z");
    expect(isoTime(new Date(-62_167_219_200_001))).toBe("-000001-12-31T23:59:59.999Z");
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
