import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: path.join(root, "wrangler.toml") },
        // Offline: never reach for remote bindings.
        remoteBindings: false,
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_SECRET: "test-only-jwt-secret-with-enough-entropy-0123456789",
            SECRETS_KEY: "test-only-secrets-key-with-enough-entropy-0123456789",
            ENVIRONMENT: "test",
          },
        },
      }),
    ],
    test: {
      setupFiles: ["./test/apply-migrations.ts"],
      // Real servers in Node: the webhook receiver (`inject("webhookReceiverUrl")`) and the SMTP and
      // Postmark- and Twilio-speaking servers outreach goes to (`inject("mailServersUrl")`, `inject("smtpPort")`).
      globalSetup: ["./test/webhook-receiver.ts", "./test/outreach-servers.ts"],
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
