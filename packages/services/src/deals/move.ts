import { dealStageHistory, deals, newId } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { and, inArray, isNull, sql } from "drizzle-orm";
import type { AuditChange } from "../audit";
import { recordChangeQueries } from "../events/record";
import type { TenantContext } from "../context";
import type { StageRow } from "../pipelines/serialize";
import { chunk, insertManyQueries } from "../records/insert-many";
import { publicDeal, type DealRow } from "./serialize";
import { statusOnEntering } from "./stage-status";

export interface MoveOptions {
  now: Date;
  /** Kept (or set) when the target is a lost stage; cleared otherwise. */
  lostReason?: string | null | undefined;
  /** Overrides the target stage's probability. */
  probability?: number | undefined;
}

/** A deal as it is after entering `target`. */
export function dealAfterMove(deal: DealRow, target: StageRow, options: MoveOptions): DealRow {
  const status = statusOnEntering(target, deal.status);
  const terminal = target.isWon || target.isLost;
  return {
    ...deal,
    pipelineId: target.pipelineId,
    stageId: target.id,
    stageEnteredAt: options.now,
    status,
    closedAt: terminal ? options.now : null,
    probability: options.probability ?? target.probability,
    lostReason: target.isLost ? (options.lostReason ?? deal.lostReason) : null,
    updatedAt: options.now,
  };
}

/**
 * The statements that move deals into `target`: each deal's open history row is closed
 * (left_at), a new one opened (entered_at), and the deals updated, set-based in chunks
 * of 90 ids (D1's parameter limit), with one audit entry per deal.
 */
export function moveDealsQueries(ctx: TenantContext, moved: DealRow[], target: StageRow, options: MoveOptions) {
  const after = moved.map((deal) => dealAfterMove(deal, target, options));
  const queries: BatchItem<"sqlite">[] = [];
  const terminal = target.isWon || target.isLost;
  for (const ids of chunk(
    moved.map((d) => d.id),
    90,
  )) {
    queries.push(
      ctx.db.updateQuery(
        dealStageHistory,
        { leftAt: options.now },
        and(inArray(dealStageHistory.dealId, ids), isNull(dealStageHistory.leftAt))!,
      ),
      ctx.db.updateQuery(
        deals,
        {
          pipelineId: target.pipelineId,
          stageId: target.id,
          stageEnteredAt: options.now,
          status: target.isWon
            ? "won"
            : target.isLost
              ? "lost"
              : sql`case when ${deals.status} in ('won', 'lost') then 'active' else ${deals.status} end`,
          closedAt: terminal ? options.now : null,
          probability: options.probability ?? target.probability,
          ...(target.isLost
            ? options.lostReason !== undefined
              ? { lostReason: options.lostReason }
              : {}
            : { lostReason: null }),
          updatedAt: options.now,
        },
        inArray(deals.id, ids),
      ),
    );
  }
  queries.push(
    ...insertManyQueries(
      ctx.db,
      dealStageHistory,
      moved.map((deal) => ({
        id: newId("dealStageChange"),
        dealId: deal.id,
        pipelineId: target.pipelineId,
        stageId: target.id,
        enteredAt: options.now,
        leftAt: null,
        changedBy: ctx.actor.id,
      })),
    ),
    ...recordChangeQueries(
      ctx,
      moved.map((deal, i): AuditChange => ({
        action: "update",
        entity: "deal",
        entityId: deal.id,
        before: publicDeal(deal),
        after: publicDeal(after[i]!),
      })),
    ),
  );
  return { queries, after };
}
