import { describe, expect, it } from "vitest";
import {
  addDelay,
  capDay,
  capResetsAt,
  isInsideWindow,
  nextSendSlot,
  nextWindowOpening,
  pickVariant,
  renderTemplate,
  sendWindowProblems,
  templateProblems,
  variantProblems,
} from "../src";

const weekdays = { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" };

describe("templates", () => {
  const data = {
    contact: { firstName: "Ada", lastName: "", email: "ada@example.com", customFields: { plan: "pro" } },
    company: { name: "Analytical Engines" },
    deal: null,
    sender: { name: "Sam Seller" },
  };

  it("renders values, falls back on empty ones, and reads custom fields", () => {
    expect(
      renderTemplate(
        "Hi {{contact.firstName|there}} {{ contact.lastName | Smith }} at {{company.name}} on {{contact.customFields.plan}}; {{deal.name|your deal}} — {{sender.name}}",
        data,
      ),
    ).toBe("Hi Ada Smith at Analytical Engines on pro; your deal — Sam Seller");
    expect(renderTemplate("Hi {{contact.firstName|there}}", { contact: { firstName: "  " } })).toBe("Hi there");
    expect(renderTemplate("Hi {{contact.title}}!", { contact: {} })).toBe("Hi !");
  });

  it("reports unknown roots, fields, custom fields and malformed tokens", () => {
    expect(templateProblems("Hi {{contact.firstName|there}} {{company.name}}", { contactCustomFields: [] })).toEqual(
      [],
    );
    expect(templateProblems("{{contact.customFields.plan}}", { contactCustomFields: ["plan"] })).toEqual([]);
    expect(
      templateProblems("{{contact.nickname}} {{user.name}} {{contact.customFields.tier}} {{ nope }} {{open"),
    ).toEqual([
      {
        token: "{{contact.nickname}}",
        message:
          "Unknown token {{contact.nickname}}: use one of contact.firstName, contact.lastName, contact.fullName, contact.email, contact.title, contact.phone, contact.timeZone",
      },
      {
        token: "{{user.name}}",
        message: "Unknown token {{user.name}}: it must start with contact, company, deal or sender",
      },
      {
        token: "{{contact.customFields.tier}}",
        message: 'Unknown token {{contact.customFields.tier}}: contacts have no custom field "tier"',
      },
      { token: "{{ nope }}", message: "{{ nope }} is not a token: write {{contact.firstName}} or similar" },
      { token: "{{", message: "A token is opened with {{ but never closed with }}" },
    ]);
  });
});

describe("send windows", () => {
  it("keeps an instant inside the window and moves others to the next opening in the zone", () => {
    // Monday 2026-11-30 08:00 in New York is 13:00Z: opens at 09:00 local = 14:00Z.
    expect(nextWindowOpening(new Date("2026-11-30T13:00:00Z"), weekdays, "America/New_York")?.toISOString()).toBe(
      "2026-11-30T14:00:00.000Z",
    );
    expect(nextWindowOpening(new Date("2026-11-30T15:30:00Z"), weekdays, "America/New_York")?.toISOString()).toBe(
      "2026-11-30T15:30:00.000Z",
    );
    // Friday 17:00 Tokyo (08:00Z) is closed: Monday 09:00 Tokyo = Monday 00:00Z.
    expect(nextWindowOpening(new Date("2026-12-04T08:00:00Z"), weekdays, "Asia/Tokyo")?.toISOString()).toBe(
      "2026-12-07T00:00:00.000Z",
    );
    expect(isInsideWindow(new Date("2026-12-04T07:59:00Z"), weekdays, "Asia/Tokyo")).toBe(true);
    expect(isInsideWindow(new Date("2026-12-05T03:00:00Z"), weekdays, "Asia/Tokyo")).toBe(false);
  });

  it("follows daylight saving: 09:00 Paris is 08:00Z in summer and 07:00Z after the change", () => {
    // Saturday 2026-03-28: closed; Monday 03-30 is after the switch to CEST (UTC+2).
    expect(nextWindowOpening(new Date("2026-03-28T10:00:00Z"), weekdays, "Europe/Paris")?.toISOString()).toBe(
      "2026-03-30T07:00:00.000Z",
    );
    expect(nextWindowOpening(new Date("2026-03-27T05:00:00Z"), weekdays, "Europe/Paris")?.toISOString()).toBe(
      "2026-03-27T08:00:00.000Z",
    );
  });

  it("validates windows", () => {
    expect(sendWindowProblems(weekdays)).toEqual([]);
    expect(sendWindowProblems({ days: [], start: "9:00", end: "08:00" })).toEqual([
      { field: "days", message: "Pick at least one day" },
      { field: "start", message: 'A time of day as "HH:MM"' },
    ]);
    expect(sendWindowProblems({ days: [8], start: "10:00", end: "09:00" })).toEqual([
      { field: "days", message: "Days are 1 (Monday) to 7 (Sunday)" },
      { field: "end", message: "The window must end after it starts" },
    ]);
    expect(nextWindowOpening(new Date(), { days: [], start: "09:00", end: "10:00" }, "UTC")).toBeNull();
  });
});

describe("delays", () => {
  it("adds hours, calendar days (same wall clock across DST) and business days", () => {
    const friday = new Date("2026-12-04T15:00:00Z");
    expect(addDelay(friday, 5, "hours", "UTC").toISOString()).toBe("2026-12-04T20:00:00.000Z");
    expect(addDelay(friday, 2, "days", "UTC").toISOString()).toBe("2026-12-06T15:00:00.000Z");
    expect(addDelay(friday, 1, "business_days", "UTC").toISOString()).toBe("2026-12-07T15:00:00.000Z");
    expect(addDelay(friday, 6, "business_days", "UTC").toISOString()).toBe("2026-12-14T15:00:00.000Z");
    // 09:00 Paris on the Friday before the spring change, one day later is 09:00 on Saturday.
    expect(addDelay(new Date("2026-03-28T08:00:00Z"), 1, "days", "Europe/Paris").toISOString()).toBe(
      "2026-03-29T07:00:00.000Z",
    );
    expect(addDelay(friday, 0, "days", "UTC").toISOString()).toBe(friday.toISOString());
  });
});

describe("variants", () => {
  it("picks the same variant for the same seed and follows the weights", () => {
    const variants = [
      { key: "A", weight: 70 },
      { key: "B", weight: 30 },
    ];
    expect(pickVariant(variants, "enr_1:sqs_1").key).toBe(pickVariant(variants, "enr_1:sqs_1").key);
    const counts = { A: 0, B: 0 } as Record<string, number>;
    for (let i = 0; i < 10_000; i += 1) counts[pickVariant(variants, `enr_${i}:sqs_x`).key]! += 1;
    expect(counts.A! / 10_000).toBeGreaterThan(0.67);
    expect(counts.A! / 10_000).toBeLessThan(0.73);
    expect(pickVariant([{ key: "only", weight: 100 }], "x").key).toBe("only");
  });

  it("requires unique keys and weights summing to 100", () => {
    expect(variantProblems([{ key: "A", weight: 100 }])).toEqual([]);
    expect(
      variantProblems([
        { key: "A", weight: 50 },
        { key: "A", weight: 40 },
      ]),
    ).toEqual([
      { path: "1.key", message: "Variant key A is used twice" },
      { path: "1.weight", message: "The weights must sum to 100 (they sum to 90)" },
    ]);
  });
});

describe("spacing", () => {
  it("waits the minimum spacing after the last send and counts caps per UTC day", () => {
    const now = new Date("2026-12-01T10:00:00Z");
    expect(nextSendSlot(now, null, 60).toISOString()).toBe(now.toISOString());
    expect(nextSendSlot(now, new Date("2026-12-01T09:59:30Z"), 60).toISOString()).toBe("2026-12-01T10:00:30.000Z");
    expect(nextSendSlot(now, new Date("2026-12-01T09:50:00Z"), 60).toISOString()).toBe(now.toISOString());
    expect(capDay(new Date("2026-12-01T23:59:59Z"))).toBe("2026-12-01");
    expect(capResetsAt(new Date("2026-12-31T23:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});
