import { describe, expect, it } from "vitest";
import { displayValue, encodeRow, featureCount, featureInfo, fitEncoder, parseIsoTime } from "../../src";

// Four training rows with every kind of field; worked out by hand below.
const rows = [
  { size: 1, plan: "Pro", active: true, seen: "2026-01-01", source: "Ads" },
  { size: "3", plan: "pro ", active: false, seen: "2026-01-11", source: "Select" },
  { size: "", plan: "Basic", active: true, seen: null, source: "Ads" },
  { size: 5, plan: "Basic", active: "false", seen: "2026-01-21", source: "Web" },
];
const options = {
  minCategoryCount: 2,
  missingTokens: ["Select"],
  referenceTime: "2026-01-31",
  skewThreshold: Infinity,
};

describe("feature encoder", () => {
  const encoder = fitEncoder(rows, options);

  it("infers each field's kind and its columns", () => {
    expect(encoder.fields.map((f) => [f.field, f.kind])).toEqual([
      ["size", "numeric"],
      ["plan", "categorical"],
      ["active", "boolean"],
      ["seen", "date"],
      ["source", "categorical"],
    ]);
    expect(featureInfo(encoder).map((f) => f.name)).toEqual([
      "size",
      "size (missing)",
      "plan = Basic",
      "plan = Pro",
      "active",
      "seen",
      "seen (missing)",
      "source = Ads",
      "source = (other)",
    ]);
    expect(featureCount(encoder)).toBe(9);
  });

  it("imputes the median, standardises, and flags absent values", () => {
    // size: known 1, 3, 5 → median 3; filled 1, 3, 3, 5 → mean 3, sd √2; missing in 1 of 4 rows.
    const size = encoder.fields[0];
    expect(size).toEqual({
      field: "size",
      kind: "numeric",
      transform: "none",
      median: 3,
      value: { mean: 3, std: Math.SQRT2 },
      missing: { mean: 0.25, std: Math.sqrt(0.25 * 0.75) },
      bands: null,
    });
    // seen: 30, 20, (absent), 10 days before 31 January → median 20, sd √50.
    expect(encoder.fields[3]).toMatchObject({ kind: "date", median: 20, value: { mean: 20, std: Math.sqrt(50) } });
    expect(encoder.referenceTime).toBe(Date.parse("2026-01-31"));
  });

  it("merges spellings of a category and sends rare and missing ones to other", () => {
    expect(encoder.fields[1]).toMatchObject({
      categories: [
        { key: "basic", label: "Basic", mean: 0.5, std: 0.5 },
        { key: "pro", label: "Pro", mean: 0.5, std: 0.5 },
      ],
      other: null,
    });
    // "Select" is missing (1 row) and "Web" is seen once: both under other.
    expect(encoder.fields[4]).toMatchObject({
      categories: [{ key: "ads", label: "Ads" }],
      other: { mean: 0.5, std: 0.5 },
    });
  });

  it("encodes a new row with the training scales", () => {
    const x = encodeRow(encoder, { size: 7, plan: "PRO", active: true, seen: "2026-01-30", source: "Email" });
    const expected = [
      (7 - 3) / Math.SQRT2, // size
      -0.25 / Math.sqrt(0.1875), // size present
      -1, // not Basic
      1, // Pro
      1, // active
      (1 - 20) / Math.sqrt(50), // seen 1 day before the reference
      -0.25 / Math.sqrt(0.1875),
      -1, // not Ads
      1, // other
    ];
    Array.from(x).forEach((v, j) => expect(v).toBeCloseTo(expected[j] as number, 12));
  });

  it("encodes an empty row as the medians with the missing flags up", () => {
    const x = encodeRow(encoder, {});
    expect(x[0]).toBe(0);
    expect(x[1]).toBeCloseTo(0.75 / Math.sqrt(0.1875), 12);
    // No plan: neither Basic nor Pro (and no "other" column was needed in training).
    expect([x[2], x[3]]).toEqual([-1, -1]);
    // active: the median of 1, 0, 1, 0 is 0.5, which is its mean.
    expect(x[4]).toBe(0);
  });

  it("measures dates from a later time when scoring asks", () => {
    const x = encodeRow(encoder, { seen: "2026-01-30" }, "2026-02-09");
    // 30 January is 10 days before 9 February.
    expect(x[5]).toBeCloseTo((10 - 20) / Math.sqrt(50), 12);
  });

  it("reads a date-time without a zone as UTC, whatever the machine's zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Tokyo";
    try {
      expect(new Date(2026, 0, 30, 12).getTime()).not.toBe(Date.UTC(2026, 0, 30, 12)); // the zone took effect
      // Half a day before the reference, 31 January 00:00 UTC.
      const x = encodeRow(encoder, { seen: "2026-01-30T12:00" });
      expect(x[5]).toBeCloseTo((0.5 - 20) / Math.sqrt(50), 12);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(parseIsoTime("2026-01-30T12:00")).toBe(Date.UTC(2026, 0, 30, 12));
    expect(parseIsoTime("2026-01-30T12:00+02:00")).toBe(Date.UTC(2026, 0, 30, 10));
    expect(parseIsoTime("30/01/2026")).toBeNull();
  });

  it("survives JSON unchanged", () => {
    const restored = JSON.parse(JSON.stringify(encoder));
    expect(restored).toEqual(encoder);
    expect(Array.from(encodeRow(restored, rows[0] as Record<string, unknown>))).toEqual(
      Array.from(encodeRow(encoder, rows[0] as Record<string, unknown>)),
    );
  });

  it("takes log1p of right-skewed counts and drops constant fields", () => {
    const skewed = fitEncoder(
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 100].map((visits) => ({ visits, constant: "same" })),
      { minCategoryCount: 1 },
    );
    expect(skewed.fields).toHaveLength(1);
    expect(skewed.fields[0]).toMatchObject({ field: "visits", transform: "log1p", median: 0 });
    expect(featureInfo(skewed)[0]?.name).toBe("log(1 + visits)");
  });

  it("adds quantile bands to numeric fields on request", () => {
    const banded = fitEncoder(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => ({ v })),
      { numericBands: 2, skewThreshold: Infinity },
    );
    expect(banded.fields[0]).toMatchObject({ bands: { cuts: [6], columns: [{ mean: 0.6 }, { mean: 0.4 }] } });
    expect(featureInfo(banded).map((f) => f.name)).toEqual(["v", "v band ≤ 6", "v band > 6"]);
    const at6 = encodeRow(banded, { v: 6 });
    const at7 = encodeRow(banded, { v: 7 });
    expect(at6[1]).toBeGreaterThan(0);
    expect(at7[1]).toBeLessThan(0);
    expect(at7[2]).toBeGreaterThan(0);
  });

  it("shows a field's value as given, null when absent", () => {
    expect(displayValue(encoder, { source: "Select" }, "source")).toBeNull();
    expect(displayValue(encoder, { size: "3" }, "size")).toBe("3");
  });
});
