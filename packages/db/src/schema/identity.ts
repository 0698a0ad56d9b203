import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp, updatedAt } from "./columns";

export const roles = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof roles)[number];

/** The pipeline agent: off (nothing runs), suggest (decisions logged only) or act (carried out). */
export const aiAgentModes = ["off", "suggest", "act"] as const;
export type AiAgentMode = (typeof aiAgentModes)[number];

export interface TenantSettings {
  /** Per role: whether members of that role see every record or only their own. */
  recordVisibility?: Partial<Record<Role, "all" | "own">>;
  /** Lead scoring: auto-qualification thresholds, the rules/model blend and the ICP rules (defaults in @crm/ai). */
  aiScoring?: {
    qualification?: { qualify: number; moveToMql: number; disqualify: number };
    blend?: { rules: number; model: number };
    icpRules?: {
      field: string;
      operator: string;
      value?: string | number | boolean | (string | number)[];
      points: number;
    }[];
  };
  /** The pipeline agent; a tenant without this is `off`. */
  aiAgent?: { mode: AiAgentMode };
}

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  settings: json<TenantSettings>("settings")
    .notNull()
    .$defaultFn(() => ({})),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** People are global: one login, possibly several tenants. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const memberships = sqliteTable(
  "memberships",
  {
    tenantId: tenantIdColumn().references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: roles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    // Resolves "which tenants is this person in" before any tenant is chosen (login, switch).
    index("memberships_user_idx").on(t.userId),
  ],
);

/**
 * Rotating refresh tokens. A family is one login; each refresh replaces the token, and
 * presenting an already-rotated token revokes the whole family (theft detection).
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tenantId: tenantIdColumn(),
    familyId: text("family_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    rotatedAt: timestamp("rotated_at"),
    revokedAt: timestamp("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // Looked up by the presented token, before the tenant is known.
    uniqueIndex("refresh_tokens_hash_idx").on(t.tokenHash),
    index("refresh_tokens_tenant_family_idx").on(t.tenantId, t.familyId),
  ],
);

export const passwordResets = sqliteTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn().references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: roles }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    acceptedAt: timestamp("accepted_at"),
    revokedAt: timestamp("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("invitations_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("invitations_tenant_email_idx").on(t.tenantId, t.email),
    // Accepting happens with only the token in hand.
    uniqueIndex("invitations_token_idx").on(t.tokenHash),
  ],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: json<string[]>("scopes").notNull(),
    /** Requests per minute; null means the tenant default. */
    rateLimit: integer("rate_limit"),
    ipAllowlist: json<string[]>("ip_allowlist"),
    expiresAt: timestamp("expires_at"),
    lastUsedAt: timestamp("last_used_at"),
    requestCount: integer("request_count").notNull().default(0),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp("revoked_at"),
  },
  (t) => [
    index("api_keys_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    // Verifying a presented key happens before the tenant is known.
    uniqueIndex("api_keys_hash_idx").on(t.keyHash),
  ],
);
