// Which domain events start a workflow: record.created/updated, field.changed (from/to) and
// stage.entered (from `deal.stage_changed`), email.replied (a contact's reply to outreach). Time triggers are found by Cron, not by events.
import type { WorkflowObject, WorkflowTrigger } from "./definition";
import { readField } from "./fields";

/** A domain event as the outbox stores it. */
export interface TriggerEvent {
  type: string;
  entity: string;
  data: Record<string, unknown>;
  /** For updates: the changed fields' previous values (top-level keys). */
  previous: Record<string, unknown> | null;
}

/** The trigger types that events start (the others run on Cron). */
export const eventTriggerTypes = [
  "record.created",
  "record.updated",
  "field.changed",
  "stage.entered",
  "email.replied",
] as const;

export function isEventTrigger(trigger: WorkflowTrigger): boolean {
  return (eventTriggerTypes as readonly string[]).includes(trigger.type);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The field's value before an update, or undefined when the update did not change it. */
export function previousValue(event: TriggerEvent, field: string): { value: unknown } | undefined {
  if (!event.previous) return undefined;
  const top = field.startsWith("customFields.") ? "customFields" : field;
  if (!Object.hasOwn(event.previous, top)) return undefined;
  const before = top === field ? event.previous[top] : readField(event.previous as Record<string, unknown>, field);
  const after = readField(event.data, field);
  // customFields changes as a whole: this key may be one that stayed the same.
  return same(before, after) ? undefined : { value: before ?? null };
}

/** Whether this event starts a workflow on `object` with `trigger`. */
export function eventMatchesTrigger(trigger: WorkflowTrigger, object: WorkflowObject, event: TriggerEvent): boolean {
  if (event.entity !== object) return false;
  switch (trigger.type) {
    case "record.created":
      return event.type === `${object}.created`;
    case "record.updated":
      return event.type === `${object}.updated`;
    case "field.changed": {
      if (event.type !== `${object}.updated`) return false;
      const before = previousValue(event, trigger.field);
      if (!before) return false;
      if (trigger.from !== undefined && !same(before.value, trigger.from)) return false;
      if (trigger.to !== undefined && !same(readField(event.data, trigger.field), trigger.to)) return false;
      return true;
    }
    case "stage.entered":
      return (
        object === "deal" &&
        event.type === "deal.stage_changed" &&
        event.data.stageId === trigger.stageId &&
        event.data.pipelineId === trigger.pipelineId
      );
    case "email.replied": {
      if (object !== "contact" || event.type !== "email.replied") return false;
      if (!trigger.classifications) return true;
      const reply = event.data.reply as { classification?: unknown } | undefined;
      return (trigger.classifications as readonly unknown[]).includes(reply?.classification);
    }
    default:
      return false;
  }
}
