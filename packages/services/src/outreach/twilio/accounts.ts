import { newId, twilioAccounts } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { eq } from "drizzle-orm";
import { auditQuery } from "../../audit";
import type { TenantContext } from "../../context";
import { sealSecret } from "../../crypto/sealed-secrets";
import { type UrlPolicy, webhookUrlProblem } from "../../webhooks/url-policy";
import { type TwilioAccountRow, twilioTokenBinding } from "./channel-sender";

/** What the API shows: never the auth token. */
export function publicTwilioAccount(row: TwilioAccountRow) {
  return {
    accountSid: row.accountSid,
    fromNumber: row.fromNumber,
    whatsappFrom: row.whatsappFrom,
    apiBaseUrl: row.apiBaseUrl,
    hasAuthToken: true as const,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface TwilioAccountInput {
  accountSid: string;
  /** Required the first time; omitted later: the stored one is kept. */
  authToken?: string | undefined;
  fromNumber: string;
  whatsappFrom?: string | null | undefined;
  apiBaseUrl?: string | null | undefined;
}

/** The tenant's Twilio account row, or null when it has none. */
export async function twilioAccountFor(ctx: Pick<TenantContext, "db">): Promise<TwilioAccountRow | null> {
  return (await ctx.db.findFirst(twilioAccounts)) ?? null;
}

/** The tenant's Twilio settings; `configured: false` (and no account) when it has none. */
export async function getTwilioSettings(ctx: TenantContext) {
  const row = await twilioAccountFor(ctx);
  return { configured: row !== null, account: row ? publicTwilioAccount(row) : null };
}

/** Creates or replaces the tenant's Twilio settings. */
export async function putTwilioAccount(
  ctx: TenantContext,
  input: TwilioAccountInput,
  deps: { secretsKey: string; urlPolicy: UrlPolicy },
) {
  const before = await twilioAccountFor(ctx);
  const errors: FieldError[] = [];
  if (!before && !input.authToken)
    errors.push({ path: "body.authToken", message: "The first Twilio settings need the auth token" });
  if (input.apiBaseUrl) {
    const problem = webhookUrlProblem(input.apiBaseUrl, deps.urlPolicy);
    if (problem) errors.push({ path: "body.apiBaseUrl", message: problem });
  }
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The request has invalid fields", { errors });

  const now = new Date();
  const id = before?.id ?? newId("twilioAccount");
  const binding = twilioTokenBinding({ tenantId: ctx.tenant.id, id });
  const row: TwilioAccountRow = {
    id,
    tenantId: ctx.tenant.id,
    accountSid: input.accountSid,
    sealedAuthToken: input.authToken
      ? await sealSecret(deps.secretsKey, input.authToken, binding)
      : before!.sealedAuthToken,
    fromNumber: input.fromNumber,
    whatsappFrom: input.whatsappFrom ?? null,
    apiBaseUrl: input.apiBaseUrl ?? null,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  const audit = { ...publicTwilioAccount(row), ...(input.authToken ? { authToken: "replaced" } : {}) };
  await ctx.db.batch([
    before
      ? ctx.db.updateQuery(
          twilioAccounts,
          {
            accountSid: row.accountSid,
            sealedAuthToken: row.sealedAuthToken,
            fromNumber: row.fromNumber,
            whatsappFrom: row.whatsappFrom,
            apiBaseUrl: row.apiBaseUrl,
            updatedAt: now,
          },
          eq(twilioAccounts.id, id),
        )
      : ctx.db.insertQuery(twilioAccounts, values),
    auditQuery(ctx, {
      action: before ? "update" : "create",
      entity: "twilio_account",
      entityId: id,
      ...(before ? { before: publicTwilioAccount(before) } : {}),
      after: audit,
    }),
  ]);
  return { configured: true, account: publicTwilioAccount(row) };
}

export async function deleteTwilioAccount(ctx: TenantContext): Promise<void> {
  const before = await twilioAccountFor(ctx);
  if (!before) throw new ApiError("NOT_FOUND", "Twilio is not configured for this tenant");
  await ctx.db.batch([
    ctx.db.deleteQuery(twilioAccounts, eq(twilioAccounts.id, before.id)),
    auditQuery(ctx, {
      action: "delete",
      entity: "twilio_account",
      entityId: before.id,
      before: publicTwilioAccount(before),
    }),
  ]);
}
