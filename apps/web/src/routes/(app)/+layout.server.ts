import { requireMe } from "$lib/server/guards";
import type { LayoutServerLoad } from "./$types";

/** Every page of the signed-in dashboard: nobody signed in goes to /login and comes back. */
export const load: LayoutServerLoad = ({ locals, url }) => ({ me: requireMe(locals, url) });
