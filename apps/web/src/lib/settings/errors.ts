import type { Problem } from "$lib/client/bff";

/**
 * Splits a problem into messages at the form's fields and the rest: `body.options.2` lands on
 * `options` when the form has that field; paths no field owns join the form's message.
 */
export function placeErrors(problem: Problem, fieldNames: readonly string[]) {
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const entry of problem.errors ?? []) {
    const path = (entry.path ?? "").replace(/^body\./, "");
    const message = entry.message ?? "Invalid value";
    const name = fieldNames.find((field) => path === field || path.startsWith(`${field}.`));
    if (name) {
      const index = path.slice(name.length + 1);
      fields[name] ??= index && /^\d+$/.test(index) ? `Item ${Number(index) + 1}: ${message}` : message;
    } else unplaced.push(path ? `${path}: ${message}` : message);
  }
  const message = [problem.detail ?? problem.title ?? "The request was refused.", ...unplaced].join(" ");
  return { fields, message };
}
