import { type Database, newId, pipelineStages, pipelines, tenantDb } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { registerTenantSeeder } from "../auth/signup";
import { insertManyQueries } from "../records/insert-many";

export interface StageTemplate {
  name: string;
  /** Default: 100 for a won stage, else 0. */
  probability?: number | undefined;
  isWon?: boolean | undefined;
  isLost?: boolean | undefined;
  followUpDays?: number | null | undefined;
  autoActions?: string[] | undefined;
}

/** The pipelines every new tenant starts with, in board order. */
export const defaultPipelines: { name: string; stages: StageTemplate[] }[] = [
  {
    name: "Sales",
    stages: [
      { name: "New Lead", probability: 10, followUpDays: 1 },
      { name: "Contacted", probability: 20, followUpDays: 3 },
      { name: "Interested", probability: 40, followUpDays: 3 },
      { name: "Proposal Sent", probability: 60, followUpDays: 5, autoActions: ["create_follow_up_task"] },
      { name: "Negotiating", probability: 80, followUpDays: 3 },
      { name: "Won", probability: 100, isWon: true },
      { name: "Lost", probability: 0, isLost: true },
    ],
  },
  {
    name: "Backlink outreach",
    stages: [
      { name: "Opportunity Found", probability: 10 },
      { name: "Contact Found", probability: 20, followUpDays: 2 },
      { name: "Pitch Sent", probability: 30, followUpDays: 4, autoActions: ["send_follow_up_email"] },
      { name: "Follow-up 1", probability: 35, followUpDays: 5, autoActions: ["send_follow_up_email"] },
      { name: "Follow-up 2", probability: 40, followUpDays: 7 },
      { name: "Responded", probability: 70, followUpDays: 2 },
      { name: "Link Placed", probability: 100, isWon: true },
      { name: "Rejected", probability: 0, isLost: true },
    ],
  },
  {
    name: "Partnership",
    stages: [
      { name: "Prospect", probability: 10, followUpDays: 7 },
      { name: "Intro Call", probability: 25, followUpDays: 3 },
      { name: "Evaluation", probability: 50, followUpDays: 7 },
      { name: "Agreement Sent", probability: 75, followUpDays: 5, autoActions: ["create_follow_up_task"] },
      { name: "Partner", probability: 100, isWon: true },
      { name: "Not a Fit", probability: 0, isLost: true },
    ],
  },
];

/** Stage rows for a new pipeline (ids and positions assigned in order). */
export function stageRows(pipelineId: string, templates: StageTemplate[]) {
  return templates.map((stage, position) => ({
    id: newId("pipelineStage"),
    pipelineId,
    name: stage.name,
    position,
    probability: stage.probability ?? (stage.isWon ? 100 : 0),
    isWon: stage.isWon ?? false,
    isLost: stage.isLost ?? false,
    followUpDays: stage.followUpDays ?? null,
    autoActions: stage.autoActions ?? [],
  }));
}

/** Written in the sign-up batch, so a tenant never exists without its pipelines. */
export function seedDefaultPipelines(db: Database, tenantId: string): BatchItem<"sqlite">[] {
  const scoped = tenantDb(db, tenantId);
  return defaultPipelines.flatMap((template, position) => {
    const id = newId("pipeline");
    return [
      scoped.insertQuery(pipelines, { id, name: template.name, position }),
      ...insertManyQueries(scoped, pipelineStages, stageRows(id, template.stages)),
    ];
  });
}

registerTenantSeeder(seedDefaultPipelines);
