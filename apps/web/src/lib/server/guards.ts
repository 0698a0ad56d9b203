import { redirect } from "@sveltejs/kit";
import type { Me } from "$lib/types";

/** The signed-in person, or a redirect to /login that comes back here afterwards. */
export function requireMe(locals: App.Locals, url: URL): Me {
  if (locals.me) return locals.me;
  const back = `${url.pathname}${url.search}`;
  redirect(303, back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
}
