import type { ApiFetch, SessionStore } from "$lib/server/api";
import type { Me } from "$lib/types";

declare global {
  namespace App {
    interface Locals {
      /** Calls the API as the signed-in person; the token never reaches the browser. */
      api: ApiFetch;
      /** The session cookie: actions start it (sign-in, sign-up, switch) and end it (sign-out). */
      session: SessionStore;
      /** GET /api/v1/me for the signed-in person; null when nobody is signed in. */
      me: Me | null;
    }
    interface PageData {
      me: Me | null;
    }
    interface Platform {
      env?: {
        /** Service binding to the API Worker (production and preview deployments). */
        API?: { fetch(request: Request): Promise<Response> };
      };
    }
  }
}

export {};
