import type { StageFacts } from "../../src";

/** The seeded "Sales" pipeline's stages, as packages/services seeds them for a new tenant. */
export const sales: Record<string, StageFacts> = {
  newLead: stage("st_new", "New Lead", 0, 10, 1),
  contacted: stage("st_contacted", "Contacted", 1, 20, 3),
  interested: stage("st_interested", "Interested", 2, 40, 3),
  proposal: stage("st_proposal", "Proposal Sent", 3, 60, 5, ["create_follow_up_task"]),
  negotiating: stage("st_negotiating", "Negotiating", 4, 80, 3),
  won: { ...stage("st_won", "Won", 5, 100, null), isWon: true },
  lost: { ...stage("st_lost", "Lost", 6, 0, null), isLost: true },
};
export const salesStages = Object.values(sales);

/** The seeded "Backlink outreach" pipeline's stage that sends follow-up emails by itself. */
export const pitchSent = stage("st_pitch", "Pitch Sent", 2, 30, 4, ["send_follow_up_email"]);
export const opportunityFound = stage("st_opportunity", "Opportunity Found", 0, 10, null);

function stage(
  id: string,
  name: string,
  position: number,
  probability: number,
  followUpDays: number | null,
  autoActions: string[] = [],
): StageFacts {
  return { id, name, position, probability, isWon: false, isLost: false, followUpDays, autoActions };
}
