import { type Database, type MailboxSettings, type MailboxTransport, mailboxes, newId, sequences } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { and, desc, eq, isNull, lt, ne } from "drizzle-orm";
import { auditQuery } from "../audit";
import type { TenantContext } from "../context";
import { MailTransportError } from "../mail/transport";
import { type UrlPolicy, webhookUrlProblem } from "../webhooks/url-policy";
import { type MailboxCredentials, type MailboxRow, sealMailboxCredentials } from "./mailbox-credentials";
import { mailTransportFor } from "./transport-factory";

/** What the API shows of a mailbox: its settings, never its credentials. */
export function publicMailbox(row: MailboxRow) {
  return {
    id: row.id,
    name: row.name,
    fromAddress: row.fromAddress,
    fromName: row.fromName,
    transport: row.transport,
    settings: row.settings,
    hasCredentials: row.sealedCredentials !== null,
    dailyCap: row.dailyCap,
    minSpacingSeconds: row.minSpacingSeconds,
    isDefault: row.isDefault,
    lastSentAt: row.lastSentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicMailbox = ReturnType<typeof publicMailbox>;

export interface MailboxInput {
  name?: string | undefined;
  fromAddress?: string | undefined;
  fromName?: string | null | undefined;
  transport?: MailboxTransport | undefined;
  settings?: MailboxSettings | undefined;
  /** Replaces the stored credentials as a whole; omitted on update: kept. */
  credentials?: MailboxCredentials | undefined;
  dailyCap?: number | undefined;
  minSpacingSeconds?: number | undefined;
  isDefault?: boolean | undefined;
}

export interface MailboxDeps {
  secretsKey: string;
  /** Where a Postmark API base URL may point (https and public hosts outside development). */
  urlPolicy: UrlPolicy;
}

/** The settings each transport reads; others are dropped so a switched transport keeps no stale ones. */
const settingsKeys: Record<MailboxTransport, (keyof MailboxSettings)[]> = {
  dev_outbox: [],
  smtp: ["host", "port", "security", "username"],
  postmark: ["apiBaseUrl", "messageStream"],
};

function settingsFor(transport: MailboxTransport, settings: MailboxSettings): MailboxSettings {
  const kept: Record<string, unknown> = {};
  for (const key of settingsKeys[transport]) if (settings[key] !== undefined) kept[key] = settings[key];
  return kept as MailboxSettings;
}

/** Problems with a mailbox as it would be after the write, with the request path at fault. */
function mailboxProblems(
  transport: MailboxTransport,
  settings: MailboxSettings,
  credentials: MailboxCredentials | undefined,
  hasStoredCredentials: boolean,
  policy: UrlPolicy,
): FieldError[] {
  const errors: FieldError[] = [];
  const has = (key: keyof MailboxCredentials) => (credentials ? Boolean(credentials[key]) : hasStoredCredentials);
  if (transport === "dev_outbox") {
    if (credentials && Object.keys(credentials).length > 0)
      errors.push({ path: "body.credentials", message: "The dev outbox takes no credentials" });
  } else if (transport === "smtp") {
    if (!settings.host) errors.push({ path: "body.settings.host", message: "An SMTP mailbox needs the server's host" });
    if (settings.port === undefined)
      errors.push({ path: "body.settings.port", message: "An SMTP mailbox needs the server's port (587 or 465)" });
    else if (settings.port === 25)
      errors.push({
        path: "body.settings.port",
        message: "Port 25 is blocked for outbound connections from Workers; use 587 (STARTTLS) or 465 (TLS)",
      });
    if (settings.username && !has("password"))
      errors.push({ path: "body.credentials.password", message: "SMTP AUTH with a username needs a password" });
    if (credentials?.serverToken)
      errors.push({ path: "body.credentials.serverToken", message: "Only Postmark mailboxes take a server token" });
  } else if (transport === "postmark") {
    if (!has("serverToken"))
      errors.push({ path: "body.credentials.serverToken", message: "A Postmark mailbox needs its server API token" });
    if (credentials?.password)
      errors.push({ path: "body.credentials.password", message: "Only SMTP mailboxes take a password" });
    if (settings.apiBaseUrl !== undefined) {
      const problem = webhookUrlProblem(settings.apiBaseUrl, policy);
      if (problem) errors.push({ path: "body.settings.apiBaseUrl", message: problem });
    }
  }
  return errors;
}

/** The tenant's live mailbox, or 404 (also for another tenant's or a deleted one). */
export async function findMailbox(ctx: Pick<TenantContext, "db">, id: string): Promise<MailboxRow> {
  const row = await ctx.db.findFirst(mailboxes, and(eq(mailboxes.id, id), isNull(mailboxes.deletedAt)));
  if (!row) throw new ApiError("NOT_FOUND", `Mailbox ${id} was not found`);
  return row;
}

/** The tenant's default mailbox; null when it has none (sends then go to the dev outbox). */
export async function defaultMailbox(ctx: Pick<TenantContext, "db">): Promise<MailboxRow | null> {
  return (await ctx.db.findFirst(mailboxes, and(eq(mailboxes.isDefault, true), isNull(mailboxes.deletedAt)))) ?? null;
}

/**
 * The mailbox a send goes out through: the one named (a sequence's) while it is live, else
 * the tenant's default, else null (the dev outbox).
 */
export async function sendingMailboxFor(
  ctx: Pick<TenantContext, "db">,
  mailboxId: string | null,
): Promise<MailboxRow | null> {
  if (mailboxId) {
    const named = await ctx.db.findFirst(mailboxes, and(eq(mailboxes.id, mailboxId), isNull(mailboxes.deletedAt)));
    if (named) return named;
  }
  return defaultMailbox(ctx);
}

export async function listMailboxes(ctx: TenantContext, page: { limit: number; cursor?: string | undefined }) {
  const rows = await ctx.db.findMany(mailboxes, {
    where: and(isNull(mailboxes.deletedAt), page.cursor ? lt(mailboxes.id, page.cursor) : undefined),
    orderBy: desc(mailboxes.id),
    limit: page.limit + 1,
  });
  const data = rows.slice(0, page.limit).map(publicMailbox);
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

export async function getMailbox(ctx: TenantContext, id: string): Promise<PublicMailbox> {
  return publicMailbox(await findMailbox(ctx, id));
}

/** The statement that makes every other live mailbox of the tenant not the default. */
function clearOtherDefaultsQuery(ctx: TenantContext, keepId: string) {
  return ctx.db.updateQuery(
    mailboxes,
    { isDefault: false },
    and(eq(mailboxes.isDefault, true), ne(mailboxes.id, keepId)) ?? ne(mailboxes.id, keepId),
  );
}

/** A new mailbox. The tenant's first becomes its default; `isDefault: true` takes it over. */
export async function createMailbox(
  ctx: TenantContext,
  input: MailboxInput & { name: string; fromAddress: string; transport: MailboxTransport },
  deps: MailboxDeps,
): Promise<PublicMailbox> {
  const settings = settingsFor(input.transport, input.settings ?? {});
  const errors = mailboxProblems(input.transport, settings, input.credentials, false, deps.urlPolicy);
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The request has invalid fields", { errors });
  const isDefault = input.isDefault ?? (await defaultMailbox(ctx)) === null;
  const now = new Date();
  const id = newId("mailbox");
  const row: MailboxRow = {
    id,
    tenantId: ctx.tenant.id,
    name: input.name.trim(),
    fromAddress: input.fromAddress.trim().toLowerCase(),
    fromName: input.fromName?.trim() || null,
    transport: input.transport,
    settings,
    sealedCredentials:
      input.credentials && Object.keys(input.credentials).length > 0
        ? await sealMailboxCredentials(deps.secretsKey, { tenantId: ctx.tenant.id, id }, input.credentials)
        : null,
    dailyCap: input.dailyCap ?? 200,
    minSpacingSeconds: input.minSpacingSeconds ?? 60,
    isDefault,
    lastSentAt: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.insertQuery(mailboxes, values),
    ...(isDefault ? [clearOtherDefaultsQuery(ctx, id)] : []),
    auditQuery(ctx, { action: "create", entity: "mailbox", entityId: id, after: publicMailbox(row) }),
  ]);
  return publicMailbox(row);
}

/**
 * Changes a mailbox. `credentials` replaces the stored ones as a whole; switching the
 * transport needs the new transport's credentials. `isDefault: false` on the default leaves
 * the tenant without one.
 */
export async function updateMailbox(
  ctx: TenantContext,
  id: string,
  input: MailboxInput,
  deps: MailboxDeps,
): Promise<PublicMailbox> {
  const before = await findMailbox(ctx, id);
  const transport = input.transport ?? before.transport;
  const switched = transport !== before.transport;
  const settings = settingsFor(transport, input.settings ?? (switched ? {} : before.settings));
  // Another transport's stored credentials do not count for this one.
  const errors = mailboxProblems(
    transport,
    settings,
    input.credentials,
    before.sealedCredentials !== null && !switched,
    deps.urlPolicy,
  );
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The request has invalid fields", { errors });
  const sealedCredentials =
    input.credentials !== undefined
      ? Object.keys(input.credentials).length > 0
        ? await sealMailboxCredentials(deps.secretsKey, before, input.credentials)
        : null
      : switched
        ? null
        : before.sealedCredentials;
  const after: MailboxRow = {
    ...before,
    name: input.name?.trim() ?? before.name,
    fromAddress: input.fromAddress?.trim().toLowerCase() ?? before.fromAddress,
    fromName: input.fromName === undefined ? before.fromName : input.fromName?.trim() || null,
    transport,
    settings,
    sealedCredentials,
    dailyCap: input.dailyCap ?? before.dailyCap,
    minSpacingSeconds: input.minSpacingSeconds ?? before.minSpacingSeconds,
    isDefault: input.isDefault ?? before.isDefault,
    updatedAt: new Date(),
  };
  const credentialsChanged = sealedCredentials !== before.sealedCredentials;
  await ctx.db.batch([
    ctx.db.updateQuery(
      mailboxes,
      {
        name: after.name,
        fromAddress: after.fromAddress,
        fromName: after.fromName,
        transport: after.transport,
        settings: after.settings,
        sealedCredentials: after.sealedCredentials,
        dailyCap: after.dailyCap,
        minSpacingSeconds: after.minSpacingSeconds,
        isDefault: after.isDefault,
        updatedAt: after.updatedAt,
      },
      eq(mailboxes.id, id),
    ),
    ...(after.isDefault && !before.isDefault ? [clearOtherDefaultsQuery(ctx, id)] : []),
    auditQuery(ctx, {
      action: "update",
      entity: "mailbox",
      entityId: id,
      before: publicMailbox(before),
      // The credentials themselves never reach the log; that they were replaced does.
      after: { ...publicMailbox(after), ...(credentialsChanged ? { credentials: "replaced" } : {}) },
    }),
  ]);
  return publicMailbox(after);
}

/**
 * Deletes a mailbox (kept for the messages it sent). Refused while a live sequence sends
 * through it: point those sequences elsewhere first.
 */
export async function deleteMailbox(ctx: TenantContext, id: string): Promise<void> {
  const before = await findMailbox(ctx, id);
  const users = await ctx.db.findMany(sequences, {
    where: and(eq(sequences.mailboxId, id), isNull(sequences.deletedAt), ne(sequences.status, "archived")),
    orderBy: desc(sequences.id),
    limit: 20,
  });
  if (users.length > 0)
    throw new ApiError(
      "CONFLICT",
      `Mailbox ${id} sends for ${users.length} sequence(s); choose another mailbox for them first`,
      {
        extensions: { sequenceIds: users.map((s) => s.id) },
      },
    );
  const now = new Date();
  await ctx.db.batch([
    ctx.db.updateQuery(mailboxes, { deletedAt: now, isDefault: false, updatedAt: now }, eq(mailboxes.id, id)),
    auditQuery(ctx, { action: "delete", entity: "mailbox", entityId: id, before: publicMailbox(before) }),
  ]);
}

export interface MailboxTestResult {
  delivered: true;
  transport: MailboxTransport;
  to: string;
  /** The provider's id for the message (outbox row, Message-ID header, Postmark MessageID). */
  messageId: string;
}

/**
 * Sends a short test message through the mailbox's transport now. What the server or
 * provider answered comes back: success, or a 502 problem carrying its error.
 */
export async function sendMailboxTest(
  ctx: TenantContext,
  id: string,
  input: { to: string },
  deps: { secretsKey: string; db: Database },
): Promise<MailboxTestResult> {
  const mailbox = await findMailbox(ctx, id);
  const transport = mailTransportFor(deps, mailbox);
  const to = input.to.trim();
  try {
    const sent = await transport.send({
      tenantId: ctx.tenant.id,
      kind: "mailbox_test",
      to,
      subject: `Test message from ${mailbox.name}`,
      text:
        `This is a test message sent through the mailbox "${mailbox.name}" (${mailbox.transport}).\n` +
        "If you can read it, the mailbox can send.",
      dedupeKey: `mailbox-test:${mailbox.id}:${crypto.randomUUID()}`,
    });
    return { delivered: true, transport: mailbox.transport, to, messageId: sent.messageId };
  } catch (error) {
    if (!(error instanceof MailTransportError)) throw error;
    throw new ApiError("UPSTREAM_ERROR", error.message, {
      extensions: { transport: error.transport, permanent: error.permanent, providerCode: error.providerCode },
    });
  }
}
