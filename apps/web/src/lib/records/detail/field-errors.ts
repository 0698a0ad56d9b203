import { fieldErrors, type Problem } from "$lib/client/bff";

/**
 * The paths a PATCH body sets: `{ emails: [...] }` → `emails`, `{ customFields: { size: 1 } }`
 * → `customFields.size`. The API names the field at fault with such a path (`emails.0.address`).
 */
function bodyPaths(body: Record<string, unknown>): string[] {
  return Object.entries(body).flatMap(([key, value]) =>
    key === "customFields" && value && typeof value === "object"
      ? Object.keys(value).map((inner) => `${key}.${inner}`)
      : [key],
  );
}

/** The API's message for the field a request changed, else the problem's detail. */
export function messageForField(problem: Problem, body: Record<string, unknown>): string {
  const errors = fieldErrors(problem);
  const paths = bodyPaths(body);
  for (const [name, message] of Object.entries(errors)) {
    if (paths.some((path) => name === path || name.startsWith(`${path}.`))) return message;
  }
  return problem.detail ?? "The change was refused.";
}

/** Focuses an element when it appears (an editor opened from its value). */
export function focusOnMount(node: HTMLElement): void {
  queueMicrotask(() => {
    node.focus();
    if (node instanceof HTMLInputElement && ["text", "email", "url", "tel", "search"].includes(node.type))
      node.select();
  });
}
