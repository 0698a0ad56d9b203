import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, tenantIdColumn, updatedAt } from "./columns";

/**
 * A tenant's Twilio account for SMS, WhatsApp and call steps (one per tenant). The auth token
 * is sealed with AES-GCM under SECRETS_KEY (bound to `<tenantId>:<id>`) and never returned; it
 * also verifies the X-Twilio-Signature of Twilio's status callbacks.
 */
export const twilioAccounts = sqliteTable(
  "twilio_accounts",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    accountSid: text("account_sid").notNull(),
    sealedAuthToken: text("sealed_auth_token").notNull(),
    /** E.164 sender for SMS and calls, e.g. +14155550100. */
    fromNumber: text("from_number").notNull(),
    /** E.164 WhatsApp sender (sent as `whatsapp:+…`); null: WhatsApp steps are not configured. */
    whatsappFrom: text("whatsapp_from"),
    /** Twilio's API by default; a local server speaking its API in tests. */
    apiBaseUrl: text("api_base_url"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("twilio_accounts_tenant_idx").on(t.tenantId)],
);
