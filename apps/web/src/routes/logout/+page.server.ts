import { redirect } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.session.get()) redirect(303, "/login");
};

export const actions = {
  // The API revokes the session's refresh tokens (and so its access token); the cookie goes
  // either way, so signing out works even when the API cannot be reached.
  default: async ({ locals }) => {
    if (locals.session.get()) await callApi(locals.api, "/api/v1/auth/logout", { method: "POST" });
    locals.session.end();
    redirect(303, "/login");
  },
} satisfies Actions;
