import { createApp } from "./app";
import { handleScheduled } from "./cron";
import type { Bindings } from "./env";
import { handleInboundEmail } from "./inbound/email";
import { handleQueue } from "./jobs/consumer";

export { RateLimiter } from "./durable-objects/rate-limiter";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleQueue(batch, env),
  scheduled: async (controller, env, ctx) => {
    ctx.waitUntil(handleScheduled(controller, env));
  },
  email: async (message, env, ctx) => {
    await handleInboundEmail(message, env, ctx);
  },
} satisfies ExportedHandler<Bindings>;
