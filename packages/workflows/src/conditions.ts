// Conditions over one record: typed operators, grouped by all/any. Pure; `now` is passed in.
import {
  type ConditionOperator,
  conditionOperators,
  type FieldKind,
  type WorkflowCondition,
  type WorkflowConditionGroup,
  type WorkflowValue,
} from "./definition";
import { type FieldInfo, readField } from "./fields";

const dayMs = 24 * 3600 * 1000;
const noValue = new Set<ConditionOperator>(["is_empty", "is_not_empty", "is_true", "is_false"]);
const listValue = new Set<ConditionOperator>(["in", "not_in", "has_any_tag"]);
const dayCount = new Set<ConditionOperator>(["within_last_days", "within_next_days", "more_than_days_ago"]);

/** An instant from a date value: `YYYY-MM-DD` is midnight UTC, anything else as Date parses it. */
export function toInstant(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** Why `value` does not fit `operator` on a field of this kind, or null when it does. */
export function conditionProblem(info: FieldInfo, operator: ConditionOperator, value: WorkflowValue | undefined) {
  const allowed = conditionOperators[info.kind] as readonly ConditionOperator[];
  if (!allowed.includes(operator)) {
    return `The operator ${operator} does not apply to a ${info.kind} field; use one of ${allowed.join(", ")}`;
  }
  if (noValue.has(operator)) return value === undefined || value === null ? null : `${operator} takes no value`;
  if (value === undefined) return `${operator} needs a value`;
  if (operator === "between") {
    return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "number")
      ? null
      : "between needs two numbers: [low, high]";
  }
  if (listValue.has(operator)) {
    return Array.isArray(value) && value.length > 0 ? null : `${operator} needs a non-empty list of values`;
  }
  if (dayCount.has(operator)) {
    return typeof value === "number" && Number.isInteger(value) && value >= 0
      ? null
      : `${operator} needs a number of days`;
  }
  if (info.kind === "number") return typeof value === "number" ? null : "Must be a number";
  if (info.kind === "date") return toInstant(value) === null ? "Must be a date (YYYY-MM-DD or ISO 8601)" : null;
  if (typeof value !== "string") return "Must be text";
  if (info.kind === "select" && info.options && !info.options.includes(value)) {
    return `Must be one of ${info.options.join(", ")}`;
  }
  return null;
}

const isEmpty = (value: unknown) =>
  value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
const lower = (value: unknown) => (typeof value === "string" ? value.trim().toLowerCase() : String(value ?? ""));
const sameValue = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" ? lower(a) === lower(b) : a === b;
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Whether one condition holds for the record. */
export function evaluateCondition(
  condition: WorkflowCondition,
  kind: FieldKind,
  record: Record<string, unknown>,
  now: Date,
): boolean {
  const actual = readField(record, condition.field);
  const expected = condition.value;
  switch (condition.operator) {
    case "is_empty":
      return isEmpty(actual);
    case "is_not_empty":
      return !isEmpty(actual);
    case "is_true":
      return actual === true;
    case "is_false":
      return actual !== true;
    case "equals":
      return kind === "number" ? Number(actual) === expected && actual !== null : sameValue(actual, expected);
    case "not_equals":
      return kind === "number" ? actual === null || Number(actual) !== expected : !sameValue(actual, expected);
    case "contains":
      return lower(actual).includes(lower(expected));
    case "not_contains":
      return !lower(actual).includes(lower(expected));
    case "starts_with":
      return lower(actual).startsWith(lower(expected));
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (typeof actual !== "number" || typeof expected !== "number") return false;
      const op = condition.operator;
      return op === "gt"
        ? actual > expected
        : op === "gte"
          ? actual >= expected
          : op === "lt"
            ? actual < expected
            : actual <= expected;
    }
    case "between": {
      const [low, high] = asList(expected) as number[];
      return typeof actual === "number" && low !== undefined && high !== undefined && actual >= low && actual <= high;
    }
    case "in":
      return asList(expected).some((v) => sameValue(actual, v));
    case "not_in":
      return !asList(expected).some((v) => sameValue(actual, v));
    case "has_tag":
      return asList(actual).some((t) => sameValue(t, expected));
    case "not_has_tag":
      return !asList(actual).some((t) => sameValue(t, expected));
    case "has_any_tag":
      return asList(actual).some((t) => asList(expected).some((v) => sameValue(t, v)));
    case "before":
    case "after":
    case "on": {
      const at = toInstant(actual);
      const ref = toInstant(expected);
      if (at === null || ref === null) return false;
      if (condition.operator === "before") return at < ref;
      if (condition.operator === "after") return at > ref;
      return new Date(at).toISOString().slice(0, 10) === new Date(ref).toISOString().slice(0, 10);
    }
    case "within_last_days":
    case "within_next_days":
    case "more_than_days_ago": {
      const at = toInstant(actual);
      if (at === null || typeof expected !== "number") return false;
      const t = now.getTime();
      if (condition.operator === "within_last_days") return at <= t && at >= t - expected * dayMs;
      if (condition.operator === "within_next_days") return at >= t && at <= t + expected * dayMs;
      return at < t - expected * dayMs;
    }
    default:
      return false;
  }
}

/**
 * Whether the record matches the group: every rule (`all`) or at least one (`any`); an
 * empty group always matches. A rule on a field the object no longer has never holds.
 */
export function evaluateConditions(
  group: WorkflowConditionGroup,
  kindOf: (field: string) => FieldKind | null,
  record: Record<string, unknown>,
  now: Date,
): boolean {
  if (group.rules.length === 0) return true;
  const results = group.rules.map((rule) => {
    const kind = kindOf(rule.field);
    return kind !== null && evaluateCondition(rule, kind, record, now);
  });
  return group.match === "any" ? results.some(Boolean) : results.every(Boolean);
}
