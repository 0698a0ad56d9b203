import { fail, redirect } from "@sveltejs/kit";
import { today } from "@internationalized/date";
import { apiGet } from "$lib/pipeline/server/load";
import { recentChanges } from "$lib/pipeline/server/recent-changes";
import type { Member, Page, Pipeline, PipelineStats, Task } from "$lib/pipeline/types";
import type { SessionTokens } from "$lib/server/session-cookie";
import { callApi, textField } from "$lib/server/forms";
import { requireMe } from "$lib/server/guards";
import type { Actions, PageServerLoad } from "./$types";

/** The person's time zone (a cookie the home page sets from the browser), else UTC. */
function timeZoneOf(cookie: string | undefined): string {
  if (!cookie) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: cookie });
    return cookie;
  } catch {
    return "UTC";
  }
}

/**
 * Home: pipeline value by stage and win rate (all time), the person's open tasks due today
 * in their time zone, and the organization's latest changes; all read in parallel so the
 * first paint has the numbers.
 */
export const load: PageServerLoad = async ({ locals, url, cookies }) => {
  const me = requireMe(locals, url);
  const timeZone = timeZoneOf(cookies.get("tz"));
  const day = today(timeZone);
  const taskQuery = new URLSearchParams({
    view: "mine",
    dueFrom: day.toDate(timeZone).toISOString(),
    dueTo: day.add({ days: 1 }).toDate(timeZone).toISOString(),
    sort: "dueAt",
    limit: "20",
  });
  taskQuery.append("status", "open");
  taskQuery.append("status", "in_progress");
  const pipelinesRead = apiGet<Page<Pipeline>>(locals.api, "/api/v1/pipelines?limit=200");
  const membersRead = apiGet<Page<Member>>(locals.api, "/api/v1/members?limit=200");
  const [stats, pipelines, tasks, , recent] = await Promise.all([
    apiGet<PipelineStats>(locals.api, "/api/v1/stats/pipeline"),
    pipelinesRead,
    apiGet<Page<Task>>(locals.api, `/api/v1/tasks?${taskQuery}`),
    membersRead,
    // Needs the member and stage names; starts as soon as those two answer.
    Promise.all([membersRead, pipelinesRead]).then(([m, p]) => recentChanges(locals.api, me.role, m.data, p.data)),
  ]);
  return {
    me,
    timeZone,
    stats,
    pipelines: pipelines.data.map(({ id, name }) => ({ id, name })),
    tasksDueToday: tasks.data,
    moreTasksDueToday: tasks.nextCursor !== null,
    recent,
  };
};

export const actions = {
  /** A new session in the chosen tenant replaces the cookie; the page then reloads as that tenant. */
  switchTenant: async ({ request, locals, url }) => {
    const me = requireMe(locals, url);
    const tenantId = textField(await request.formData(), "tenantId");
    if (!tenantId) return fail(422, { switchError: "Choose an organization to switch to." });
    if (tenantId === me.tenant.id) return { switched: false };
    const result = await callApi<SessionTokens>(locals.api, "/api/v1/auth/switch-tenant", {
      method: "POST",
      json: { tenantId },
    });
    if (!result.ok) {
      const detail = result.problem?.detail ?? `The CRM service answered ${result.status}.`;
      return fail(result.status, { switchError: detail });
    }
    locals.session.start(result.data);
    redirect(303, "/");
  },
} satisfies Actions;
