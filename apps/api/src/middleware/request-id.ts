import { newId } from "@crm/db";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

/** Every response carries X-Request-Id; a caller's own id is kept when it looks sane. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : newId("request");
  c.set("requestId", id);
  await next();
  c.res.headers.set("x-request-id", id);
});
