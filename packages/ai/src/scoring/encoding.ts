/**
 * Turns generic records (a tenant's rows with whatever custom fields they carry) into numeric
 * feature vectors. The encoder is fitted on training rows and is plain JSON, so it is stored with
 * the model and applied unchanged to new rows.
 *
 * Per field, the kind is inferred from the training values (or given by the caller):
 * - numeric: median-imputed, plus a 0/1 "missing" column when training rows lacked it; heavily
 *   right-skewed non-negative fields (counts, durations, amounts) go through log1p first;
 * - boolean: true/false (also the strings "true"/"false"), encoded 1/0 like a numeric;
 * - date: ISO strings or Date objects, encoded as days before the reference time;
 * - categorical: one column per category seen at least `minCategoryCount` times (compared
 *   trimmed and case-insensitively), the rest in "other", absent values in "(missing)".
 * Every output column is standardised with the training mean and standard deviation, so a
 * coefficient times a value is that column's pull away from the average training row.
 */

export type FieldKind = "numeric" | "boolean" | "date" | "categorical";

export interface EncoderOptions {
  /** Fields to use; default every field seen in the training rows. */
  fields?: string[];
  /** Fields never used (the label is always excluded). */
  exclude?: string[];
  /** Strings that mean "no answer" besides the empty string, e.g. "Select" or "N/A" (compared case-insensitively). */
  missingTokens?: string[];
  /** A category needs this many training rows to get its own column; default 10. */
  minCategoryCount?: number;
  /** At most this many categories per field (the most frequent); default 40. */
  maxCategoriesPerField?: number;
  /** Field kinds the caller knows better than inference. */
  kinds?: Record<string, FieldKind>;
  /** Dates become days before this time (ms or ISO); default the latest date in the training rows. */
  referenceTime?: number | string;
  /** Take log1p of non-negative numeric fields whose skewness exceeds this; default 2, Infinity turns it off. */
  skewThreshold?: number;
  /**
   * Besides the linear column, one 0/1 column per quantile band of each numeric or date field
   * (this many bands; 0 or 1 for none; default 0), so a linear model can bend with the value.
   */
  numericBands?: number;
}

/** Mean and standard deviation of one output column over the training rows. */
export interface ColumnScale {
  mean: number;
  std: number;
}

export interface NumericFieldSpec {
  field: string;
  kind: "numeric" | "boolean" | "date";
  transform: "none" | "log1p";
  /** Imputed for absent values (after the transform). */
  median: number;
  value: ColumnScale;
  /** The "missing" indicator column, when training rows lacked the field. */
  missing: ColumnScale | null;
  /** Quantile bands of the present values: band b holds values in (cuts[b - 1], cuts[b]], one column each. */
  bands: { cuts: number[]; columns: ColumnScale[] } | null;
}

export interface CategoryColumn extends ColumnScale {
  /** Normalised key (trimmed, lower case); "" stands for missing. */
  key: string;
  /** As a person would read it (the commonest spelling in training). */
  label: string;
}

export interface CategoricalFieldSpec {
  field: string;
  kind: "categorical";
  categories: CategoryColumn[];
  /** The column for categories too rare to get their own, when training had any. */
  other: ColumnScale | null;
}

export type FieldSpec = NumericFieldSpec | CategoricalFieldSpec;

export interface FeatureEncoder {
  version: 1;
  /** Lower-cased strings treated as missing, "" included. */
  missingTokens: string[];
  /** Dates are encoded as days before this instant (ms since epoch), or null when no date field exists. */
  referenceTime: number | null;
  fields: FieldSpec[];
}

/** One output column: the source field it came from and a readable name. */
export interface FeatureInfo {
  field: string;
  name: string;
}

const MISSING_KEY = "";
const DAY_MS = 86_400_000;
const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const missingSets = new WeakMap<FeatureEncoder, ReadonlySet<string>>();

/** The encoder's missing tokens as a set, built once per encoder object (bulk scoring calls this per row). */
function missingSetOf(encoder: FeatureEncoder): ReadonlySet<string> {
  let set = missingSets.get(encoder);
  if (!set) {
    set = new Set(encoder.missingTokens);
    missingSets.set(encoder, set);
  }
  return set;
}

function isMissing(value: unknown, missingTokens: ReadonlySet<string>): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "number") return !Number.isFinite(value);
  if (typeof value === "string") return missingTokens.has(value.trim().toLowerCase());
  if (value instanceof Date) return Number.isNaN(value.getTime());
  return false;
}

function asNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && NUMBER_PATTERN.test(value.trim())) return Number(value.trim());
  return null;
}

function asBoolean(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const t = value.trim().toLowerCase();
    if (t === "true") return true;
    if (t === "false") return false;
  }
  return null;
}

/** Parses an ISO date or date-time; one without a zone is read as UTC, so results never depend on the machine's zone. */
export function parseIsoTime(text: string): number | null {
  const trimmed = text.trim();
  const match = DATE_PATTERN.exec(trimmed);
  if (!match) return null;
  const zoned = match[1] === undefined || match[4] !== undefined ? trimmed : `${trimmed}Z`;
  const t = Date.parse(zoned);
  return Number.isNaN(t) ? null : t;
}

function asTime(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === "string") return parseIsoTime(value);
  return null;
}

function categoryKey(value: unknown): string {
  return String(value).trim().toLowerCase();
}

function inferKind(values: unknown[]): FieldKind {
  if (values.every((v) => asBoolean(v) !== null)) return "boolean";
  if (values.every((v) => asNumber(v) !== null)) return "numeric";
  if (values.every((v) => asTime(v) !== null)) return "date";
  return "categorical";
}

function scaleOf(values: ArrayLike<number>): ColumnScale {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(squares / n) };
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function skewness(values: readonly number[]): number {
  const { mean, std } = scaleOf(values);
  if (std === 0) return 0;
  let cubes = 0;
  for (const v of values) cubes += ((v - mean) / std) ** 3;
  return cubes / values.length;
}

/** The raw number a numeric-like field holds, before transform and imputation; null when absent. */
function rawNumeric(spec: NumericFieldSpec, value: unknown, referenceTime: number | null): number | null {
  if (spec.kind === "boolean") {
    const b = asBoolean(value);
    return b === null ? null : b ? 1 : 0;
  }
  if (spec.kind === "date") {
    const t = asTime(value);
    return t === null || referenceTime === null ? null : (referenceTime - t) / DAY_MS;
  }
  return asNumber(value);
}

/** The band of a (transformed) value: the first cut at or above it, or past the last cut. */
function bandIndex(cuts: readonly number[], x: number): number {
  let b = 0;
  while (b < cuts.length && x > (cuts[b] as number)) b++;
  return b;
}

function transformed(spec: Pick<NumericFieldSpec, "transform">, x: number): number {
  return spec.transform === "log1p" ? Math.log1p(x) : x;
}

function resolveTime(time: number | string | undefined): number | undefined {
  if (time === undefined) return undefined;
  const t = typeof time === "number" ? time : parseIsoTime(time);
  if (t === null || Number.isNaN(t)) throw new Error(`referenceTime is not a date: ${String(time)}`);
  return t;
}

/** Fits an encoder on training rows. Fields with no usable variation get no columns. */
export function fitEncoder(rows: readonly Record<string, unknown>[], options: EncoderOptions = {}): FeatureEncoder {
  const missingTokens = [...new Set(["", ...(options.missingTokens ?? []).map((t) => t.trim().toLowerCase())])];
  const missingSet = new Set(missingTokens);
  const minCount = options.minCategoryCount ?? 10;
  const maxCategories = options.maxCategoriesPerField ?? 40;
  const skewThreshold = options.skewThreshold ?? 2;
  const numericBands = options.numericBands ?? 0;
  const exclude = new Set(options.exclude ?? []);
  const fieldNames = (options.fields ?? [...new Set(rows.flatMap((row) => Object.keys(row)))]).filter(
    (f) => !exclude.has(f),
  );

  const present = new Map<string, unknown[]>();
  const kinds = new Map<string, FieldKind>();
  for (const field of fieldNames) {
    const values = rows.map((row) => row[field]).filter((v) => !isMissing(v, missingSet));
    if (values.length === 0) continue;
    present.set(field, values);
    kinds.set(field, options.kinds?.[field] ?? inferKind(values));
  }

  let referenceTime = resolveTime(options.referenceTime) ?? null;
  if (referenceTime === null) {
    for (const [field, values] of present) {
      if (kinds.get(field) !== "date") continue;
      for (const v of values) {
        const t = asTime(v);
        if (t !== null && (referenceTime === null || t > referenceTime)) referenceTime = t;
      }
    }
  }

  const fields: FieldSpec[] = [];
  for (const field of fieldNames) {
    const kind = kinds.get(field);
    if (kind === undefined) continue;
    if (kind === "categorical") {
      const spec = fitCategorical(field, rows, missingSet, minCount, maxCategories);
      if (spec) fields.push(spec);
    } else {
      const spec = fitNumeric(field, kind, rows, missingSet, referenceTime, skewThreshold, numericBands);
      if (spec) fields.push(spec);
    }
  }
  return { version: 1, missingTokens, referenceTime, fields };
}

function fitNumeric(
  field: string,
  kind: "numeric" | "boolean" | "date",
  rows: readonly Record<string, unknown>[],
  missingSet: ReadonlySet<string>,
  referenceTime: number | null,
  skewThreshold: number,
  numericBands: number,
): NumericFieldSpec | null {
  const probe: NumericFieldSpec = {
    field,
    kind,
    transform: "none",
    median: 0,
    value: { mean: 0, std: 0 },
    missing: null,
    bands: null,
  };
  const raw = rows.map((row) => {
    const v = row[field];
    return isMissing(v, missingSet) ? null : rawNumeric(probe, v, referenceTime);
  });
  const known = raw.filter((x): x is number => x !== null);
  if (known.length === 0) return null;
  if (kind === "numeric" && known.every((v) => v >= 0) && skewness(known) > skewThreshold) probe.transform = "log1p";
  const sorted = known.map((x) => transformed(probe, x)).sort((a, b) => a - b);
  probe.median = median(sorted);
  const filled = raw.map((x) => (x === null ? probe.median : transformed(probe, x)));
  probe.value = scaleOf(filled);
  const missingCount = raw.length - known.length;
  if (missingCount > 0) probe.missing = scaleOf(raw.map((x) => (x === null ? 1 : 0)));
  if (numericBands > 1) {
    const cuts: number[] = [];
    for (let q = 1; q < numericBands; q++) {
      const cut = sorted[Math.floor((q * sorted.length) / numericBands)] as number;
      if (cut < (sorted[sorted.length - 1] as number) && (cuts.length === 0 || cut > (cuts[cuts.length - 1] as number)))
        cuts.push(cut);
    }
    if (cuts.length > 0) {
      const bandOf = raw.map((x) => (x === null ? -1 : bandIndex(cuts, transformed(probe, x))));
      const columns = cuts
        .concat([Number.POSITIVE_INFINITY])
        .map((_, b) => scaleOf(bandOf.map((band) => (band === b ? 1 : 0))));
      probe.bands = { cuts, columns };
    }
  }
  if (probe.value.std === 0 && probe.missing === null) return null;
  return probe;
}

function fitCategorical(
  field: string,
  rows: readonly Record<string, unknown>[],
  missingSet: ReadonlySet<string>,
  minCount: number,
  maxCategories: number,
): CategoricalFieldSpec | null {
  const counts = new Map<string, number>();
  const spellings = new Map<string, Map<string, number>>();
  const keys = rows.map((row) => {
    const v = row[field];
    if (isMissing(v, missingSet)) return MISSING_KEY;
    const key = categoryKey(v);
    const bySpelling = spellings.get(key) ?? new Map<string, number>();
    bySpelling.set(String(v).trim(), (bySpelling.get(String(v).trim()) ?? 0) + 1);
    spellings.set(key, bySpelling);
    return key;
  });
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  // Most frequent first; ties by key so the column order never depends on row order.
  const kept = [...counts.entries()]
    .filter(([, count]) => count >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxCategories)
    .map(([key]) => key);
  const keptSet = new Set(kept);
  const categories: CategoryColumn[] = kept.map((key) => {
    let label = "(missing)";
    if (key !== MISSING_KEY) {
      let best = -1;
      for (const [spelling, count] of spellings.get(key) ?? []) {
        if (count > best) {
          best = count;
          label = spelling;
        }
      }
    }
    return { key, label, ...scaleOf(keys.map((k) => (k === key ? 1 : 0))) };
  });
  const otherCount = keys.filter((k) => !keptSet.has(k)).length;
  const other = otherCount > 0 ? scaleOf(keys.map((k) => (keptSet.has(k) ? 0 : 1))) : null;
  const live = categories.filter((c) => c.std > 0);
  if (live.length === 0 && (other === null || other.std === 0)) return null;
  return { field, kind: "categorical", categories: live, other: other && other.std > 0 ? other : null };
}

/** The output columns, in the order `encodeRow` fills them. */
export function featureInfo(encoder: FeatureEncoder): FeatureInfo[] {
  const out: FeatureInfo[] = [];
  for (const spec of encoder.fields) {
    if (spec.kind === "categorical") {
      for (const c of spec.categories) out.push({ field: spec.field, name: `${spec.field} = ${c.label}` });
      if (spec.other) out.push({ field: spec.field, name: `${spec.field} = (other)` });
    } else {
      out.push({ field: spec.field, name: spec.transform === "log1p" ? `log(1 + ${spec.field})` : spec.field });
      if (spec.missing) out.push({ field: spec.field, name: `${spec.field} (missing)` });
      spec.bands?.columns.forEach((_, b, all) => {
        const cuts = spec.bands?.cuts ?? [];
        const name =
          b === 0 ? `≤ ${cuts[0]}` : b === all.length - 1 ? `> ${cuts[b - 1]}` : `${cuts[b - 1]} < x ≤ ${cuts[b]}`;
        out.push({ field: spec.field, name: `${spec.field} band ${name}` });
      });
    }
  }
  return out;
}

export function featureCount(encoder: FeatureEncoder): number {
  let n = 0;
  for (const spec of encoder.fields) {
    n +=
      spec.kind === "categorical"
        ? spec.categories.length + (spec.other ? 1 : 0)
        : 1 + (spec.missing ? 1 : 0) + (spec.bands?.columns.length ?? 0);
  }
  return n;
}

function standardise(x: number, scale: ColumnScale): number {
  return scale.std > 0 ? (x - scale.mean) / scale.std : 0;
}

/**
 * Encodes one row into `out` (or a new array). `referenceTime` overrides the fitted one for date
 * fields, e.g. "days since last contact" measured at scoring time.
 */
export function encodeRow(
  encoder: FeatureEncoder,
  row: Record<string, unknown>,
  referenceTime?: number | string,
  out: Float64Array = new Float64Array(featureCount(encoder)),
): Float64Array {
  const missingSet = missingSetOf(encoder);
  const reference = resolveTime(referenceTime) ?? encoder.referenceTime;
  let j = 0;
  for (const spec of encoder.fields) {
    const value = row[spec.field];
    const missing = isMissing(value, missingSet);
    if (spec.kind === "categorical") {
      const key = missing ? MISSING_KEY : categoryKey(value);
      let matched = false;
      for (const c of spec.categories) {
        const hit = c.key === key;
        matched ||= hit;
        out[j++] = standardise(hit ? 1 : 0, c);
      }
      if (spec.other) out[j++] = standardise(matched ? 0 : 1, spec.other);
    } else {
      const raw = missing ? null : rawNumeric(spec, value, reference);
      const x = raw === null ? spec.median : transformed(spec, raw);
      out[j++] = standardise(x, spec.value);
      if (spec.missing) out[j++] = standardise(raw === null ? 1 : 0, spec.missing);
      if (spec.bands) {
        const band = raw === null ? -1 : bandIndex(spec.bands.cuts, x);
        spec.bands.columns.forEach((scale, b) => (out[j++] = standardise(band === b ? 1 : 0, scale)));
      }
    }
  }
  return out;
}

/** Encodes many rows into one row-major matrix (rows × featureCount). */
export function encodeRows(
  encoder: FeatureEncoder,
  rows: readonly Record<string, unknown>[],
  referenceTime?: number | string,
): Float64Array {
  const p = featureCount(encoder);
  const matrix = new Float64Array(rows.length * p);
  rows.forEach((row, i) => encodeRow(encoder, row, referenceTime, matrix.subarray(i * p, (i + 1) * p)));
  return matrix;
}

/** The value a person would read for a field of a row, or null when it is absent. */
export function displayValue(
  encoder: FeatureEncoder,
  row: Record<string, unknown>,
  field: string,
): string | number | boolean | null {
  const value = row[field];
  if (isMissing(value, missingSetOf(encoder))) return null;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
