import { describe, expect, it } from "vitest";
import {
  aiReplyActionTypes,
  conditionProblem,
  eventMatchesTrigger,
  evaluateConditions,
  fieldInfo,
  nextCronRun,
  readField,
  relativeDateWindow,
  relativeDueDay,
  renderTokens,
  tokenFields,
  validateDefinition,
  waitResumeAt,
  workflowDefinitionSchema,
  type WorkflowConditionGroup,
} from "../src";

const now = new Date("2026-12-01T10:00:00.000Z");
const deal = {
  id: "deal_1",
  name: "Acme renewal",
  value: 12000,
  status: "active",
  tags: ["vip", "Renewal"],
  expectedCloseDate: "2026-12-05",
  closedAt: null,
  ownerId: "us_a",
  customFields: { tier: "gold", seats: 40 },
  createdAt: "2026-11-20T08:00:00.000Z",
};
const kinds = (field: string) =>
  fieldInfo("deal", field, [
    { key: "tier", type: "select", options: ["gold"] },
    { key: "seats", type: "number" },
  ])?.kind ?? null;
const group = (match: "all" | "any", rules: WorkflowConditionGroup["rules"]): WorkflowConditionGroup => ({
  match,
  rules,
});

describe("conditions", () => {
  it("evaluates typed operators over a record, custom fields included", () => {
    const holds = (rule: WorkflowConditionGroup["rules"][number]) =>
      evaluateConditions(group("all", [rule]), kinds, deal, now);
    expect(holds({ field: "value", operator: "gt", value: 10000 })).toBe(true);
    expect(holds({ field: "value", operator: "between", value: [1, 100] })).toBe(false);
    expect(holds({ field: "name", operator: "contains", value: "ACME" })).toBe(true);
    expect(holds({ field: "name", operator: "starts_with", value: "renewal" })).toBe(false);
    expect(holds({ field: "status", operator: "in", value: ["won", "active"] })).toBe(true);
    expect(holds({ field: "tags", operator: "has_tag", value: "renewal" })).toBe(true);
    expect(holds({ field: "tags", operator: "has_any_tag", value: ["x", "y"] })).toBe(false);
    expect(holds({ field: "closedAt", operator: "is_empty" })).toBe(true);
    expect(holds({ field: "expectedCloseDate", operator: "within_next_days", value: 7 })).toBe(true);
    expect(holds({ field: "expectedCloseDate", operator: "within_next_days", value: 3 })).toBe(false);
    expect(holds({ field: "createdAt", operator: "more_than_days_ago", value: 10 })).toBe(true);
    expect(holds({ field: "expectedCloseDate", operator: "on", value: "2026-12-05" })).toBe(true);
    expect(holds({ field: "customFields.tier", operator: "equals", value: "gold" })).toBe(true);
    expect(holds({ field: "customFields.seats", operator: "lte", value: 39 })).toBe(false);
  });

  it("all needs every rule, any one of them; an empty group always matches; an unknown field never holds", () => {
    const rules: WorkflowConditionGroup["rules"] = [
      { field: "value", operator: "gte", value: 50000 },
      { field: "tags", operator: "has_tag", value: "vip" },
    ];
    expect(evaluateConditions(group("all", rules), kinds, deal, now)).toBe(false);
    expect(evaluateConditions(group("any", rules), kinds, deal, now)).toBe(true);
    expect(evaluateConditions(group("all", []), kinds, deal, now)).toBe(true);
    expect(evaluateConditions(group("any", [{ field: "gone", operator: "is_empty" }]), kinds, deal, now)).toBe(false);
  });

  it("refuses operators and values that do not fit the field's kind", () => {
    const text = fieldInfo("contact", "firstName", [])!;
    expect(conditionProblem(text, "gt", 3)).toMatch(/^The operator gt does not apply to a text field/);
    expect(conditionProblem(fieldInfo("deal", "value", [])!, "between", [1])).toBe(
      "between needs two numbers: [low, high]",
    );
    expect(conditionProblem(fieldInfo("deal", "expectedCloseDate", [])!, "before", "soon")).toBe(
      "Must be a date (YYYY-MM-DD or ISO 8601)",
    );
    expect(conditionProblem(text, "is_empty", "x")).toBe("is_empty takes no value");
    expect(conditionProblem(fieldInfo("contact", "doNotContact", [])!, "is_true", undefined)).toBeNull();
  });
});

describe("triggers", () => {
  const updated = (data: Record<string, unknown>, previous: Record<string, unknown>) => ({
    type: "contact.updated",
    entity: "contact",
    data,
    previous,
  });

  it("field.changed matches the event's previous value and the new one", () => {
    const trigger = { type: "field.changed" as const, field: "lifecycleStage", from: "sql", to: "customer" };
    expect(
      eventMatchesTrigger(trigger, "contact", updated({ lifecycleStage: "customer" }, { lifecycleStage: "sql" })),
    ).toBe(true);
    expect(
      eventMatchesTrigger(trigger, "contact", updated({ lifecycleStage: "customer" }, { lifecycleStage: "lead" })),
    ).toBe(false);
    expect(
      eventMatchesTrigger(trigger, "contact", updated({ lifecycleStage: "sql", title: "x" }, { title: null })),
    ).toBe(false);
    const anyChange = { type: "field.changed" as const, field: "customFields.plan" };
    expect(
      eventMatchesTrigger(
        anyChange,
        "contact",
        updated({ customFields: { plan: "pro", a: 1 } }, { customFields: { plan: "free", a: 1 } }),
      ),
    ).toBe(true);
    // customFields changed, but not this key.
    expect(
      eventMatchesTrigger(
        anyChange,
        "contact",
        updated({ customFields: { plan: "pro", a: 2 } }, { customFields: { plan: "pro", a: 1 } }),
      ),
    ).toBe(false);
  });

  it("stage.entered matches deal.stage_changed into that stage only; created/updated match their event types", () => {
    const trigger = { type: "stage.entered" as const, pipelineId: "pl_1", stageId: "stg_2" };
    const moved = (stageId: string) => ({
      type: "deal.stage_changed",
      entity: "deal",
      data: { pipelineId: "pl_1", stageId },
      previous: { stageId: "stg_1" },
    });
    expect(eventMatchesTrigger(trigger, "deal", moved("stg_2"))).toBe(true);
    expect(eventMatchesTrigger(trigger, "deal", moved("stg_3"))).toBe(false);
    expect(eventMatchesTrigger({ type: "record.created" }, "deal", { ...moved("stg_2"), type: "deal.created" })).toBe(
      true,
    );
    expect(
      eventMatchesTrigger({ type: "record.created" }, "contact", { ...moved("stg_2"), type: "deal.created" }),
    ).toBe(false);
  });

  it("email.replied matches a contact's reply event, narrowed by classification when given", () => {
    const replied = (classification: string) => ({
      type: "email.replied",
      entity: "contact",
      data: { firstName: "Ana", reply: { classification, messageId: "om_1" } },
      previous: null,
    });
    expect(eventMatchesTrigger({ type: "email.replied" }, "contact", replied("question"))).toBe(true);
    const interested = {
      type: "email.replied" as const,
      classifications: ["interested" as const, "referral" as const],
    };
    expect(eventMatchesTrigger(interested, "contact", replied("interested"))).toBe(true);
    expect(eventMatchesTrigger(interested, "contact", replied("not_interested"))).toBe(false);
    expect(
      eventMatchesTrigger({ type: "email.replied" }, "contact", { ...replied("question"), type: "contact.updated" }),
    ).toBe(false);
    expect(eventMatchesTrigger({ type: "email.replied" }, "deal", { ...replied("question"), entity: "deal" })).toBe(
      false,
    );
  });
});

describe("tokens", () => {
  it("renders record fields with fallbacks and lists the fields named", () => {
    const record = { firstName: "", lastName: "Hopper", tags: ["a", "b"], customFields: { plan: "pro" } };
    expect(
      renderTokens(
        "Hi {{record.firstName|there}} {{ record.lastName }} ({{record.customFields.plan}}) {{record.tags}}",
        record,
      ),
    ).toBe("Hi there Hopper (pro) a, b");
    expect(renderTokens("{{record.missing}}!", record)).toBe("!");
    expect(tokenFields("{{record.a}} and {{record.customFields.b|x}}")).toEqual(["a", "customFields.b"]);
  });
});

describe("timing", () => {
  it("computes the next cron run in the workflow's time zone", () => {
    // 09:00 in Paris is 08:00 UTC in winter.
    expect(nextCronRun("0 9 * * *", "Europe/Paris", now)?.toISOString()).toBe("2026-12-02T08:00:00.000Z");
    expect(nextCronRun("*/15 * * * *", "UTC", now)?.toISOString()).toBe("2026-12-01T10:15:00.000Z");
    expect(nextCronRun("0 9 * * 1", "America/New_York", now)?.toISOString()).toBe("2026-12-07T14:00:00.000Z");
  });

  it("resumes a wait after its duration or at a date field plus an offset", () => {
    expect(waitResumeAt({ type: "wait", mode: "duration", duration: { amount: 2, unit: "days" } }, {}, now)).toEqual(
      new Date("2026-12-03T10:00:00.000Z"),
    );
    expect(
      waitResumeAt({ type: "wait", mode: "until_field", field: "expectedCloseDate", offsetDays: -1 }, deal, now),
    ).toEqual(new Date("2026-12-04T00:00:00.000Z"));
    expect(waitResumeAt({ type: "wait", mode: "until_field", field: "closedAt", offsetDays: 0 }, deal, now)).toBeNull();
  });

  it("finds the date values due in a check window for an offset", () => {
    // 3 days before: checked from Dec 1 to Dec 2, dates Dec 4 to Dec 5 fall due.
    expect(relativeDateWindow(now, new Date("2026-12-02T10:00:00Z"), -3)).toEqual({
      first: "2026-12-04",
      last: "2026-12-05",
    });
    expect(relativeDueDay("2026-12-05", -3)).toBe("2026-12-02");
    expect(relativeDueDay(null, 1)).toBeNull();
  });
});

describe("validateDefinition", () => {
  const lookups = {
    customFields: { contact: [], company: [], lead: [], deal: [{ key: "renewsOn", type: "date" as const }], task: [] },
    memberIds: new Set(["us_a", "us_b"]),
    pipelines: [{ id: "pl_1", stageIds: ["stg_1", "stg_2"] }],
  };

  it("accepts a definition that fits the tenant", () => {
    const definition = workflowDefinitionSchema.parse({
      object: "deal",
      trigger: { type: "date.relative", field: "customFields.renewsOn", offsetDays: -30 },
      conditions: { rules: [{ field: "status", operator: "equals", value: "active" }] },
      actions: [
        { type: "assign", mode: "round_robin", userIds: ["us_a", "us_b"] },
        { type: "create_record", object: "task", fields: { title: "Renew {{record.name}}" } },
      ],
    });
    expect(validateDefinition(definition, lookups)).toEqual([]);
  });

  it("email.replied needs a contact workflow and known classifications", () => {
    const onDeal = workflowDefinitionSchema.parse({
      object: "deal",
      trigger: { type: "email.replied" },
      actions: [{ type: "add_tag", tag: "replied" }],
    });
    expect(validateDefinition(onDeal, lookups)).toEqual([
      { path: "trigger.type", message: "email.replied applies to contacts only (object must be contact)" },
    ]);
    expect(
      workflowDefinitionSchema
        .safeParse({
          object: "contact",
          trigger: { type: "email.replied", classifications: ["delighted"] },
          actions: [{ type: "add_tag", tag: "replied" }],
        })
        .error?.issues.map((i) => i.path.join(".")),
    ).toEqual(["trigger.classifications.0"]);
  });

  it("names each problem's path", () => {
    const definition = workflowDefinitionSchema.parse({
      object: "deal",
      trigger: { type: "stage.entered", pipelineId: "pl_2", stageId: "stg_1" },
      actions: [
        { type: "notify", recipient: { kind: "user", userId: "us_z" }, message: "{{record.nope}}" },
        { type: "create_record", object: "contact", fields: { shoe: "x" } },
      ],
    });
    expect(validateDefinition(definition, lookups)).toEqual([
      { path: "trigger.pipelineId", message: "No pipeline of this organization has this id" },
      { path: "actions.0.message", message: "The token {{record.nope}} names no field of a deal" },
      { path: "actions.0.recipient.userId", message: "No member of this organization has this user id" },
      { path: "actions.1.fields.shoe", message: "A contact has no field shoe" },
    ]);
  });
});

describe("event fields: an email.replied run's reply", () => {
  const lookups = {
    customFields: { contact: [], company: [], lead: [], deal: [], task: [] },
    memberIds: new Set<string>(),
    pipelines: [],
  };
  const event = {
    id: "ct_1",
    tags: [],
    reply: {
      classification: "interested",
      ai: { classification: "question", confidence: 0.91, suggestedAction: { type: "pause_sequence_answer_question" } },
    },
  };
  const replyKinds = (field: string) => fieldInfo("contact", field, [], "email.replied")?.kind ?? null;

  it("reads the AI class and suggested action by path; other triggers have no such fields", () => {
    expect(readField(event, "reply.ai.suggestedAction.type")).toBe("pause_sequence_answer_question");
    expect(readField(event, "reply.ai.missing")).toBeNull();
    expect(readField({ id: "ct_2", reply: { ai: null } }, "reply.ai.classification")).toBeNull();
    expect(fieldInfo("contact", "reply.ai.classification", [], "email.replied")).toMatchObject({
      kind: "select",
      writable: false,
    });
    expect(fieldInfo("contact", "reply.ai.classification", [], "record.updated")).toBeNull();
    expect(fieldInfo("contact", "reply.ai.classification", [])).toBeNull();
    const rules = (value: string): WorkflowConditionGroup => ({
      match: "all",
      rules: [
        { field: "reply.ai.classification", operator: "equals", value },
        { field: "reply.ai.confidence", operator: "gte", value: 0.9 },
      ],
    });
    expect(evaluateConditions(rules("question"), replyKinds, event, now)).toBe(true);
    expect(evaluateConditions(rules("interested"), replyKinds, event, now)).toBe(false);
    // Without the trigger's fields a rule on them never holds.
    expect(evaluateConditions(rules("question"), () => null, event, now)).toBe(false);
  });

  it("validates reply conditions against the trigger and the field's options", () => {
    const parse = (trigger: string, value: string) =>
      workflowDefinitionSchema.parse({
        object: "contact",
        trigger: { type: trigger },
        conditions: { rules: [{ field: "reply.ai.suggestedAction.type", operator: "equals", value }] },
        actions: [{ type: "add_tag", tag: "x" }],
      });
    expect(validateDefinition(parse("email.replied", "enrol_referred_contact"), lookups)).toEqual([]);
    expect(validateDefinition(parse("email.replied", "call_them"), lookups)).toEqual([
      { path: "conditions.rules.0.value", message: `Must be one of ${aiReplyActionTypes.join(", ")}` },
    ]);
    expect(validateDefinition(parse("record.created", "enrol_referred_contact"), lookups)).toEqual([
      {
        path: "conditions.rules.0.field",
        message:
          "reply.ai.suggestedAction.type is a field of the email.replied event: only workflows with that trigger can test it",
      },
    ]);
    // An update_field cannot aim at the event.
    const write = workflowDefinitionSchema.parse({
      object: "contact",
      trigger: { type: "email.replied" },
      actions: [{ type: "update_field", field: "reply.classification", value: "x" }],
    });
    expect(validateDefinition(write, lookups)).toEqual([
      { path: "actions.0.field", message: "A contact has no field reply.classification" },
    ]);
  });
});
