import { describe, expect, it } from "vitest";
import { type CustomFieldDefinition, normalizeDomain, normalizeTags, validateCustomFields } from "../src";

const defs: CustomFieldDefinition[] = [
  { key: "tier", label: "Tier", type: "select", options: ["gold", "silver"], required: true },
  { key: "seats", label: "Seats", type: "number", required: false },
  { key: "renewal", label: "Renewal", type: "date", required: false },
  { key: "site", label: "Site", type: "url", required: false },
  { key: "langs", label: "Languages", type: "multi_select", options: ["en", "fr"], required: false },
];

describe("validateCustomFields", () => {
  it("accepts valid values and reports each invalid one at its path", () => {
    const ok = validateCustomFields(
      defs,
      { tier: "gold", seats: 12, renewal: "2027-02-28", langs: ["en"] },
      { partial: false },
    );
    expect(ok.issues).toEqual([]);
    expect(ok.values).toEqual({ tier: "gold", seats: 12, renewal: "2027-02-28", langs: ["en"] });

    const bad = validateCustomFields(
      defs,
      { tier: "bronze", seats: "12", renewal: "2027-02-30", site: "ftp://x", nope: 1 },
      { partial: false },
    );
    expect(bad.issues).toEqual([
      { path: "body.customFields.tier", message: "Must be one of: gold, silver" },
      { path: "body.customFields.seats", message: "Must be a number" },
      { path: "body.customFields.renewal", message: "Must be a date as YYYY-MM-DD" },
      { path: "body.customFields.site", message: "Must be an http(s) URL" },
      { path: "body.customFields.nope", message: "No custom field has this key" },
    ]);
  });

  it("requires required fields on create but not on partial update; null clears", () => {
    expect(validateCustomFields(defs, {}, { partial: false }).issues).toEqual([
      { path: "body.customFields.tier", message: "Required" },
    ]);
    const update = validateCustomFields(defs, { seats: null }, { partial: true, existing: { tier: "gold", seats: 3 } });
    expect(update).toEqual({ values: { tier: "gold" }, issues: [] });
  });
});

describe("normalisation", () => {
  it("normalises domains and tags", () => {
    expect(normalizeDomain("https://www.Example.COM/about")).toBe("example.com");
    expect(normalizeDomain("sub.example.co.uk")).toBe("sub.example.co.uk");
    expect(normalizeDomain("not a domain")).toBeNull();
    expect(normalizeTags([" VIP", "vip", "Key  Account", ""])).toEqual(["vip", "key account"]);
  });
});
