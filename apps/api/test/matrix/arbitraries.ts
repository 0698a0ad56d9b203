import fc from "fast-check";
import { deref, type JsonSchema, type OpenApiDoc, type Operation, type Parameter } from "./openapi";

/**
 * fast-check generators built from an operation's schemas: mostly values near the schema
 * (so requests get past the first check and reach deeper code), mixed with boundary values,
 * wrong types, hostile strings, missing required fields and unknown extra fields.
 */

const hostileStrings = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "' or 1=1 --",
  '"; drop table users; --',
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "%00%ff",
  "null",
  "NaN",
  "Infinity",
  "-1",
  "1e309",
  "0x1f",
  "true",
  "[]",
  "{}",
  "\ud800",
  "\u202eevil",
  "ｆｕｌｌｗｉｄｔｈ",
  "İstanbul ß ﬁ",
  "👩‍👩‍👧‍👦".repeat(20),
  '*"()+-:^~',
  "a".repeat(256),
  "é".repeat(5_000),
  "x".repeat(70_000),
);

const unicodeString = fc.string({ unit: "grapheme", maxLength: 40 });
const binaryString = fc.string({ unit: "binary", maxLength: 40 });

const jsonLeaf = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value of the wrong shape. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  jsonLeaf,
  fc.array(jsonLeaf, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), jsonLeaf, { maxKeys: 3 }),
);

const boundaryNumbers = fc.constantFrom(
  -1,
  0,
  -0,
  0.5,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e308,
  -1e308,
  5e-324,
);

/**
 * `plausible` values satisfy the schema as far as a schema can say (so a request reaches the
 * service and the database); `hostile` ones mix in boundaries, wrong types, hostile strings,
 * missing required fields and unknown extra fields.
 */
export type Mode = "plausible" | "hostile";

function plausibleString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 200));
  if (schema.format === "email") return fc.emailAddress().filter((e) => e.length <= max);
  if (schema.format === "date-time") {
    return fc
      .date({ noInvalidDate: true, min: new Date("1970-01-01"), max: new Date("2100-01-01") })
      .map((d) => d.toISOString());
  }
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern), { size: "small" })
        .filter((v) => v.length >= min && v.length <= max);
    } catch {
      // A pattern fast-check cannot invert: fall back to plain text.
    }
  }
  return fc.string({ minLength: min, maxLength: max }).filter((v) => v.trim().length >= min);
}

function hostileString(schema: JsonSchema): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [hostileStrings, unicodeString, binaryString];
  if (schema.maxLength !== undefined) options.push(fc.constant("x".repeat(schema.maxLength + 1)));
  if ((schema.minLength ?? 0) > 0) options.push(fc.constant("x".repeat(schema.minLength! - 1)));
  if (schema.format === "email") options.push(fc.constantFrom("a@b", "@example.com", "a@@b.co", "A@EXAMPLE.COM "));
  if (schema.format === "date-time") {
    options.push(
      fc.constantFrom(
        "2026-13-45T25:61:00Z",
        "2026-02-30T00:00:00Z",
        "0000-00-00T00:00:00Z",
        "2026-01-01",
        "+275760-09-13T00:00:00.000Z",
      ),
    );
  }
  return fc.oneof({ arbitrary: plausibleString(schema), weight: 2 }, ...options);
}

function numberFor(schema: JsonSchema, integer: boolean, mode: Mode): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000_000);
  const inRange = integer
    ? fc.integer({
        min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
        max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER),
      })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  if (mode === "plausible") return inRange;
  return fc.oneof({ arbitrary: inRange, weight: 3 }, fc.constantFrom(min - 1, max + 1), boundaryNumbers);
}

/** A value for `schema` in the given mode. */
export function valueFor(doc: OpenApiDoc, input: JsonSchema, mode: Mode, depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(doc, input);
  if (depth > 4) return mode === "plausible" ? fc.constant(null) : jsonLeaf;
  const near = shapedValueFor(doc, schema, mode, depth);
  return mode === "plausible" ? near : fc.oneof({ arbitrary: near, weight: 5 }, { arbitrary: wrongType, weight: 1 });
}

function shapedValueFor(doc: OpenApiDoc, schema: JsonSchema, mode: Mode, depth: number): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (variants && variants.length > 0) return fc.oneof(...variants.map((v) => valueFor(doc, v, mode, depth + 1)));
  if (schema.enum) {
    const valid = fc.constantFrom(...schema.enum);
    return mode === "plausible" ? valid : fc.oneof({ arbitrary: valid, weight: 3 }, hostileStrings);
  }
  if (schema.const !== undefined)
    return mode === "plausible" ? fc.constant(schema.const) : fc.oneof(fc.constant(schema.const), hostileStrings);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const options: fc.Arbitrary<unknown>[] = types.map((type) => {
    switch (type) {
      case "string":
        return mode === "plausible" ? plausibleString(schema) : hostileString(schema);
      case "integer":
        return numberFor(schema, true, mode);
      case "number":
        return numberFor(schema, false, mode);
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return arrayFor(doc, schema, mode, depth);
      case "object":
        return objectFor(doc, schema, mode, depth);
      default:
        return wrongType;
    }
  });
  if (schema.properties && !types.includes("object")) options.push(objectFor(doc, schema, mode, depth));
  if (schema.nullable) options.push(fc.constant(null));
  return options.length === 0 ? wrongType : options.length === 1 ? options[0]! : fc.oneof(...options);
}

function arrayFor(doc: OpenApiDoc, schema: JsonSchema, mode: Mode, depth: number): fc.Arbitrary<unknown[]> {
  const item = schema.items ? valueFor(doc, schema.items, mode, depth + 1) : jsonLeaf;
  const min = schema.minItems ?? 0;
  const max = Math.max(min, Math.min(schema.maxItems ?? 5, 8));
  const valid = fc.array(item, { minLength: min, maxLength: max });
  if (mode === "plausible") return valid;
  const options: fc.Arbitrary<unknown[]>[] = [valid, fc.constant<unknown[]>([])];
  if (schema.maxItems !== undefined && schema.maxItems < 500)
    options.push(fc.array(item, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 }));
  return fc.oneof(...options);
}

/** Plausible: every required property, some optional ones. Hostile: any may be missing, extras appear. */
function objectFor(
  doc: OpenApiDoc,
  schema: JsonSchema,
  mode: Mode,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const shape = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, value]) => [key, valueFor(doc, value, mode, depth + 1)]),
  );
  const required = (schema.required ?? []).filter((key) => key in shape);
  const complete = fc.record(shape, { requiredKeys: required });
  if (mode === "plausible") return complete;
  const partial = fc.record(shape, { requiredKeys: [] });
  const extra = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "tenantId", "id")),
    jsonLeaf,
    {
      maxKeys: 3,
    },
  );
  return fc.oneof(
    { arbitrary: complete, weight: 3 },
    { arbitrary: partial, weight: 2 },
    { arbitrary: fc.tuple(complete, extra).map(([base, more]) => ({ ...more, ...base })), weight: 1 },
  );
}

/** What goes on the wire as the body: JSON of a generated value, or text that is not JSON. */
export type WireBody = { json: unknown } | { raw: string } | { none: true };

export function bodyFor(doc: OpenApiDoc, op: Operation, mode: Mode): fc.Arbitrary<WireBody> {
  // fetch itself refuses a GET with a body.
  if (op.method === "get") return fc.constant({ none: true });
  if (!op.body) {
    if (mode === "plausible") return fc.constant({ none: true });
    return fc.oneof(
      { arbitrary: fc.constant<WireBody>({ none: true }), weight: 4 },
      wrongType.map<WireBody>((json) => ({ json })),
    );
  }
  const shaped = valueFor(doc, op.body.schema, mode).map<WireBody>((json) => ({ json }));
  if (mode === "plausible") return shaped;
  return fc.oneof(
    { arbitrary: shaped, weight: 8 },
    { arbitrary: wrongType.map<WireBody>((json) => ({ json })), weight: 1 },
    {
      arbitrary: fc.constantFrom<WireBody>(
        { raw: "{" },
        { raw: '{"a":' },
        { raw: "[1,2" },
        { raw: "nul" },
        { raw: "\u0000" },
        { raw: "{'a':1}" },
      ),
      weight: 1,
    },
    { arbitrary: fc.constant<WireBody>({ none: true }), weight: 1 },
  );
}

const queryLeaf = fc.oneof(
  hostileStrings,
  unicodeString,
  fc.integer().map(String),
  fc.constantFrom("-1", "0", "NaN", "1e400", "2.5", " 7 "),
);

/**
 * Query values as strings (a hostile value may repeat the parameter). Plausible: each optional
 * parameter is absent half the time, so a case rarely trips over one of many filters.
 */
export function queryFor(doc: OpenApiDoc, parameters: Parameter[], mode: Mode): fc.Arbitrary<[string, string][]> {
  const asText = (v: unknown) => String(typeof v === "object" && v !== null ? JSON.stringify(v) : v);
  const perParam = parameters
    // An opaque cursor cannot be made up plausibly; hostile cases still send junk ones.
    .filter((p) => p.in === "query" && (mode === "hostile" || p.name !== "cursor"))
    .map((p) => {
      const values: fc.Arbitrary<string[]> =
        mode === "plausible"
          ? valueFor(doc, p.schema, "plausible").map((v) => [asText(v)])
          : fc.oneof(
              { arbitrary: valueFor(doc, p.schema, "hostile").map((v) => [asText(v)]), weight: 3 },
              { arbitrary: queryLeaf.map((v) => [v]), weight: 2 },
              { arbitrary: fc.array(queryLeaf, { minLength: 2, maxLength: 3 }), weight: 1 },
            );
      const pairs = values.map((list) => list.map((value) => [p.name, value] as [string, string]));
      if (p.required && mode === "plausible") return pairs;
      return fc.option(pairs, { nil: [] as [string, string][], freq: mode === "plausible" ? 2 : 5 });
    });
  return fc.tuple(...perParam).map((lists) => lists.flat());
}

/** Path values: plausibly a real record's id (or a well-formed unknown one); hostile, wrong in every way. */
export function pathValueFor(realIds: string[], mode: Mode): fc.Arbitrary<string> {
  const wellFormed = fc.stringMatching(/^[a-z]{2,4}_[0-9a-z]{26}$/);
  if (mode === "plausible")
    return realIds.length > 0
      ? fc.oneof({ arbitrary: fc.constantFrom(...realIds), weight: 3 }, wellFormed)
      : wellFormed;
  return fc.oneof(
    hostileStrings,
    unicodeString,
    wellFormed,
    fc.constantFrom(
      "zz_01jc9x7d1q8m3v5n2k4p6r8t0w",
      "key_",
      "_",
      "KEY_01JC9X7D1Q8M3V5N2K4P6R8T0W",
      "1",
      "-1",
      "x".repeat(65),
    ),
  );
}

/** Printable ASCII only: header values must be valid ByteStrings for fetch itself. */
export const headerValue = fc.oneof(
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }),
  fc.constantFrom("x".repeat(255), "x".repeat(256), " ", "a b c"),
);
