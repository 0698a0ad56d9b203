/**
 * Loop protection, three rules:
 * 1. An event a workflow's own action caused (actor `system`, id = that workflow) never
 *    starts that same workflow: its own field update does not trigger it again. Ignored
 *    silently: it is not a trigger at all, so nothing is added to the history.
 * 2. Chains of workflow-caused events stop at depth `maxChainDepth`: A's update starts B,
 *    B's starts C, and C's events start nothing (a skipped run says so).
 * 3. A (workflow, record) pair runs at most `maxRunsPerRecordPerHour` times in an hour.
 *    10: well above what a sane workflow does to one record (a few updates in a burst),
 *    low enough that two workflows feeding each other stop within minutes. Extra triggers
 *    are kept as skipped runs with the reason, visible in the history.
 */
export const maxChainDepth = 3;
export const maxRunsPerRecordPerHour = 10;

export const depthMessage = `loop protection: this event comes from a chain of ${maxChainDepth} workflow runs`;
export const rateMessage = `loop protection: this workflow already ran ${maxRunsPerRecordPerHour} times on this record in the last hour`;
