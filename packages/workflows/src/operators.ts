// Operators by field kind (no zod): the dashboard's builder imports them from
// `@crm/workflows/operators` without pulling the schemas into the browser.
/**
 * Operators by the kind of field they apply to; the API refuses an operator that does not
 * fit the field's type. `value` is absent for is_empty / is_not_empty / is_true / is_false,
 * a two-item array for between, an array for in / not_in / has_any_tag, a number of days for
 * within_last_days / within_next_days / more_than_days_ago.
 */
export const conditionOperators = {
  text: ["equals", "not_equals", "contains", "not_contains", "starts_with", "is_empty", "is_not_empty"],
  number: ["equals", "not_equals", "gt", "gte", "lt", "lte", "between", "is_empty", "is_not_empty"],
  date: [
    "before",
    "after",
    "on",
    "within_last_days",
    "within_next_days",
    "more_than_days_ago",
    "is_empty",
    "is_not_empty",
  ],
  boolean: ["is_true", "is_false"],
  select: ["equals", "not_equals", "in", "not_in", "is_empty", "is_not_empty"],
  tags: ["has_tag", "not_has_tag", "has_any_tag", "is_empty", "is_not_empty"],
} as const;
export type FieldKind = keyof typeof conditionOperators;
export type ConditionOperator = (typeof conditionOperators)[FieldKind][number];
