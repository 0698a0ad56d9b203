import { fail, redirect } from "@sveltejs/kit";
import type { SessionTokens } from "$lib/server/session-cookie";
import { callApi, textField } from "$lib/server/forms";
import { requireMe } from "$lib/server/guards";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = ({ locals, url }) => ({ me: requireMe(locals, url) });

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
