import { redirect } from "@sveltejs/kit";
import type { SessionTokens } from "$lib/server/session-cookie";
import { callApi, formFailure, safeRedirectPath, textField } from "$lib/server/forms";
import type { Actions, PageServerLoad } from "./$types";

const fields = ["email", "password"] as const;

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.me) redirect(303, safeRedirectPath(url.searchParams.get("redirectTo")));
};

export const actions = {
  default: async ({ request, locals, url }) => {
    const form = await request.formData();
    const values = { email: textField(form, "email").trim() };
    const result = await callApi<SessionTokens>(locals.api, "/api/v1/auth/login", {
      method: "POST",
      anonymous: true,
      json: { email: values.email, password: textField(form, "password") },
    });
    if (!result.ok) return formFailure<Record<(typeof fields)[number], string>>(result, fields, values);
    locals.session.start(result.data);
    redirect(303, safeRedirectPath(url.searchParams.get("redirectTo")));
  },
} satisfies Actions;
