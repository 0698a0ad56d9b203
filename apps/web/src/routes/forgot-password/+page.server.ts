import { callApi, formFailure, textField } from "$lib/server/forms";
import type { Actions } from "./$types";

const fields = ["email"] as const;

export const actions = {
  default: async ({ request, locals }) => {
    const email = textField(await request.formData(), "email").trim();
    const result = await callApi<{ message: string }>(locals.api, "/api/v1/auth/password-reset", {
      method: "POST",
      anonymous: true,
      json: { email },
    });
    if (!result.ok) return formFailure<Record<(typeof fields)[number], string>>(result, fields, { email });
    // The API answers the same whether or not the email has an account.
    return { sent: true as const, email, message: result.data.message };
  },
} satisfies Actions;
