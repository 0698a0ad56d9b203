import { redirect } from "@sveltejs/kit";
import type { SessionTokens } from "$lib/server/session-cookie";
import { callApi, formFailure, textField } from "$lib/server/forms";
import type { Actions, PageServerLoad } from "./$types";

const fields = ["organizationName", "name", "email", "password"] as const;
type SignupValues = Record<(typeof fields)[number], string>;

export const load: PageServerLoad = ({ locals }) => {
  if (locals.me) redirect(303, "/");
};

export const actions = {
  default: async ({ request, locals }) => {
    const form = await request.formData();
    const body: SignupValues = {
      organizationName: textField(form, "organizationName"),
      name: textField(form, "name"),
      email: textField(form, "email"),
      password: textField(form, "password"),
    };
    const result = await callApi<SessionTokens>(locals.api, "/api/v1/auth/signup", {
      method: "POST",
      anonymous: true,
      json: body,
    });
    if (!result.ok) {
      const { password: _password, ...values } = body;
      return formFailure<SignupValues>(result, fields, values);
    }
    locals.session.start(result.data);
    redirect(303, "/");
  },
} satisfies Actions;
