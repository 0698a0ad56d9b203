/**
 * The API names what it refused by body path (`actions.2.field`, `trigger.cron`,
 * `conditions.rules.0.value`); the builder shows each message at the control that wrote it.
 * Errors under a card that no control of it owns are listed on that card; the rest go on the
 * form's message, so no refusal is ever hidden.
 */
export type PathErrors = Record<string, string>;

/** The message for a control: its own path, or a part of it (`to.address` for `to`). */
export function errorAt(errors: PathErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const below = Object.entries(errors).filter(([key]) => key.startsWith(`${path}.`));
  return below.length ? below.map(([, message]) => message).join(" ") : undefined;
}

/**
 * Messages under `prefix` (a card: `actions.2`, `trigger`) whose next path segment is none of
 * `owned` (the card's own controls), as "what: message".
 */
export function leftoverErrors(errors: PathErrors, prefix: string, owned: readonly string[]): string[] {
  const found: string[] = [];
  for (const [path, message] of Object.entries(errors)) {
    if (path !== prefix && !path.startsWith(`${prefix}.`)) continue;
    const rest = path.slice(prefix.length + 1);
    const head = rest.split(".")[0] ?? "";
    if (head && owned.includes(head)) continue;
    found.push(message);
  }
  return found;
}

/** Messages no card claims: paths outside name, description, object, trigger, conditions, actions. */
export function formLevelErrors(errors: PathErrors, actionCount: number): string[] {
  return Object.entries(errors)
    .filter(([path]) => {
      const [head, index] = path.split(".");
      if (head === "name" || head === "description" || head === "object" || head === "trigger") return false;
      if (head === "conditions") return false;
      if (head === "actions" && index !== undefined && Number(index) < actionCount) return false;
      return true;
    })
    .map(([path, message]) => (path ? `${path}: ${message}` : message));
}
