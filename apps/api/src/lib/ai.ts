import { type AiProviders, aiProvidersFor } from "@crm/services";
import type { Context } from "hono";
import type { AppEnv, Bindings } from "../env";

/** The AI providers for this Worker: Workers AI when `AI` is bound, else the built-in engine. */
export function aiProvidersOf(env: Bindings, requestId: string): AiProviders {
  return aiProvidersFor(env.AI, {
    onFallback: (capability, error) =>
      console.warn(
        JSON.stringify({
          level: "warn",
          requestId,
          message: `Workers AI failed for ${capability}; the built-in engine answered`,
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
  });
}

export function aiProviders(c: Context<AppEnv>): AiProviders {
  return aiProvidersOf(c.env, c.get("requestId"));
}
