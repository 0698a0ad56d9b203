import { apiGet, relatedNames } from "$lib/pipeline/server/load";
import type { Member, Page, Pipeline, PipelineBoard } from "$lib/pipeline/types";
import type { PageServerLoad } from "./$types";

/** Deals each column shows: the highest values first (the API allows up to 100). */
const perStage = 30;

/**
 * The board of the pipeline named in `?pipeline=` (else the first), filtered by `?owner=`
 * (a member's id or `me`). Pipelines, members and the board load in parallel when the URL
 * names the pipeline; otherwise the board waits for the list to learn the first one.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const requested = url.searchParams.get("pipeline");
  const owner = url.searchParams.get("owner") || null;
  const boardPath = (id: string) => {
    const query = new URLSearchParams({ perStage: String(perStage) });
    if (owner) query.set("ownerId", owner);
    return `/api/v1/pipelines/${encodeURIComponent(id)}/board?${query}`;
  };
  const [pipelines, members, earlyBoard] = await Promise.all([
    apiGet<Page<Pipeline>>(locals.api, "/api/v1/pipelines?limit=200"),
    apiGet<Page<Member>>(locals.api, "/api/v1/members?limit=200"),
    requested ? apiGet<PipelineBoard>(locals.api, boardPath(requested)) : Promise.resolve(null),
  ]);
  const first = pipelines.data[0];
  const board = earlyBoard ?? (first ? await apiGet<PipelineBoard>(locals.api, boardPath(first.id)) : null);
  const shown = board?.stages.flatMap((column) => column.deals) ?? [];
  return {
    pipelines: pipelines.data,
    members: members.data,
    board,
    owner,
    perStage,
    // Not awaited: streamed in after the board has painted.
    related: relatedNames(locals.api, shown),
  };
};
