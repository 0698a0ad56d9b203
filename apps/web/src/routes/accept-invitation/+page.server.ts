import { redirect } from "@sveltejs/kit";
import { callApi, formFailure, textField } from "$lib/server/forms";
import type { SessionTokens } from "$lib/server/session-cookie";
import type { Actions, PageServerLoad } from "./$types";

const fields = ["name", "password"] as const;
type AcceptValues = Record<(typeof fields)[number], string>;

export const load: PageServerLoad = ({ url, locals }) => ({
  token: url.searchParams.get("token") ?? "",
  signedInAs: locals.me ? { name: locals.me.user.name, email: locals.me.user.email } : null,
});

export const actions = {
  /**
   * The API decides by the invitation's email: a new address becomes an account (name and
   * password), an existing one proves itself with its password. Either way it answers with a
   * session in the invited organization, which replaces this browser's session.
   */
  default: async ({ request, locals, url }) => {
    const form = await request.formData();
    const token = textField(form, "token") || (url.searchParams.get("token") ?? "");
    const name = textField(form, "name").trim();
    const password = textField(form, "password");
    const result = await callApi<SessionTokens>(locals.api, "/api/v1/invitations/accept", {
      method: "POST",
      anonymous: true,
      json: { token, ...(name ? { name } : {}), ...(password ? { password } : {}) },
    });
    if (!result.ok) return formFailure<AcceptValues>(result, fields, { name });
    locals.session.start(result.data);
    redirect(303, "/");
  },
} satisfies Actions;
