import { describe, expect, it } from "vitest";
import { workflowDefinitionSchema } from "../src";

describe("workflowDefinitionSchema", () => {
  it("accepts a trigger, conditions and actions including the nested assign and wait shapes", () => {
    const parsed = workflowDefinitionSchema.parse({
      object: "deal",
      trigger: { type: "stage.entered", pipelineId: "pip_1", stageId: "stg_1" },
      conditions: { match: "any", rules: [{ field: "value", operator: "gte", value: 1000 }] },
      actions: [
        { type: "wait", mode: "duration", duration: { amount: 2, unit: "days" } },
        { type: "assign", mode: "round_robin", userIds: ["usr_a", "usr_b"] },
        { type: "create_task", title: "Call {{record.name}}" },
      ],
    });
    expect(parsed.actions[2]).toEqual({
      type: "create_task",
      title: "Call {{record.name}}",
      dueInDays: 0,
      priority: "normal",
      assignee: { kind: "owner" },
    });
  });

  it("names the field at fault", () => {
    const result = workflowDefinitionSchema.safeParse({
      object: "contact",
      trigger: { type: "record.created" },
      actions: [{ type: "assign", mode: "round_robin", userIds: [] }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["actions.0.userIds"]);
  });
});
