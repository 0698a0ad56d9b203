import { callApi, formFailure, textField } from "$lib/server/forms";
import type { Actions, PageServerLoad } from "./$types";

const fields = ["password", "confirmPassword"] as const;
type ResetValues = Record<(typeof fields)[number], string>;

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get("token") ?? "" });

export const actions = {
  default: async ({ request, locals, url }) => {
    const form = await request.formData();
    const token = textField(form, "token") || (url.searchParams.get("token") ?? "");
    const password = textField(form, "password");
    if (password !== textField(form, "confirmPassword")) {
      return formFailure<ResetValues>(
        {
          status: 422,
          problem: {
            detail: "The two passwords differ.",
            errors: [{ path: "confirmPassword", message: "Does not match the new password" }],
          },
        },
        fields,
        {},
      );
    }
    const result = await callApi(locals.api, "/api/v1/auth/password-reset/confirm", {
      method: "POST",
      anonymous: true,
      json: { token, password },
    });
    if (!result.ok) return formFailure<ResetValues>(result, fields, {});
    // Every session of the account ended: this browser's too.
    locals.session.end();
    return { changed: true as const };
  },
} satisfies Actions;
