import { describe, expect, it } from "vitest";
import {
  customFieldCell,
  type ImportField,
  latin1ToWindows1252,
  normalizeHeader,
  parseBooleanCell,
  parseNumberCell,
  splitListCell,
  suggestMapping,
} from "../src";

const fields: ImportField[] = [
  { target: "firstName", label: "First name", aliases: ["given name"] },
  { target: "lastName", label: "Last name", aliases: ["surname"] },
  { target: "email", label: "Email", aliases: ["e-mail", "email address"] },
  { target: "title", label: "Job title", aliases: ["title"] },
  { target: "cf.plan", label: "Plan", aliases: ["plan"] },
];

describe("normalizeHeader", () => {
  it("compares headers without case, spacing, punctuation or accents", () => {
    expect(normalizeHeader(" E-mail Address ")).toBe("emailaddress");
    expect(normalizeHeader("Prénom")).toBe("prenom");
    expect(normalizeHeader("cf.plan")).toBe("cfplan");
  });
});

describe("suggestMapping", () => {
  it("maps exact names, labels and aliases, near-miss spellings, and leaves the rest unmapped", () => {
    expect(suggestMapping(["E-mail", "First Name", "Surnme", "Email Address", "Shoe size", "cf.plan"], fields)).toEqual(
      {
        "E-mail": "email",
        "First Name": "firstName",
        // One letter missing from "surname": a near miss.
        Surnme: "lastName",
        // Email is taken by the first column that claimed it.
        "Email Address": null,
        "Shoe size": null,
        "cf.plan": "cf.plan",
      },
    );
  });

  it("lets the tenant's remembered choices win over guesses, for known targets only", () => {
    expect(suggestMapping(["Email", "Mail"], fields, { mail: "email", email: "title", other: "nope" })).toEqual({
      Mail: "email",
      Email: "title",
    });
    expect(suggestMapping(["Email"], fields, { email: "shoeSize" })).toEqual({ Email: "email" });
  });
});

describe("cells", () => {
  it("reads booleans in several spellings and leaves anything else for validation to name", () => {
    expect(["yes", "TRUE", "1", "x", "Oui"].map(parseBooleanCell)).toEqual([true, true, true, true, true]);
    expect(["no", "False", "0", "off"].map(parseBooleanCell)).toEqual([false, false, false, false]);
    expect(parseBooleanCell("maybe")).toBe("maybe");
  });

  it("reads English and European numbers, currency signs and grouping", () => {
    expect(parseNumberCell("1,250")).toBe(1250);
    expect(parseNumberCell("1,250.50")).toBe(1250.5);
    expect(parseNumberCell("1.250,50")).toBe(1250.5);
    expect(parseNumberCell("12,5")).toBe(12.5);
    expect(parseNumberCell("$ 3 000")).toBe(3000);
    expect(parseNumberCell("-0.5")).toBe(-0.5);
    expect(parseNumberCell("lots")).toBe("lots");
    expect(parseNumberCell("1e400")).toBe("1e400");
  });

  it("splits lists on commas, semicolons and pipes", () => {
    expect(splitListCell(" a, b;c | d ,, ")).toEqual(["a", "b", "c", "d"]);
  });

  it("types custom field cells by definition; blank is left alone", () => {
    const def = (type: "number" | "boolean" | "multi_select" | "text") => ({
      key: "k",
      label: "K",
      type,
      required: false,
    });
    expect(customFieldCell(def("number"), "1 000")).toBe(1000);
    expect(customFieldCell(def("boolean"), "yes")).toBe(true);
    expect(customFieldCell(def("multi_select"), "en; fr")).toEqual(["en", "fr"]);
    expect(customFieldCell(def("text"), "  hi ")).toBe("hi");
    expect(customFieldCell(def("text"), "   ")).toBeUndefined();
  });

  it("turns Latin-1 text back into what Windows-1252 bytes meant", () => {
    const latin1 = String.fromCharCode(0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0xe9, 0x96);
    expect(latin1ToWindows1252(latin1)).toBe("€ “q” é–");
    expect(latin1ToWindows1252("plain")).toBe("plain");
  });
});
