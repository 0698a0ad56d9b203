import { type Database, memberships, newId, tenants, users } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { hashPassword } from "./crypto";
import { findUserByEmail, issueTokens, normalizeEmail, type SessionTokens } from "./sessions";

export interface SignupInput {
  organizationName: string;
  name: string;
  email: string;
  password: string;
}

/**
 * Per-tenant defaults written in the same batch as the tenant (pipelines and the like).
 * Later modules register theirs here so that every new tenant starts complete.
 */
export type TenantSeeder = (db: Database, tenantId: string, ownerId: string) => BatchItem<"sqlite">[];
const tenantSeeders: TenantSeeder[] = [];
export function registerTenantSeeder(seeder: TenantSeeder): void {
  tenantSeeders.push(seeder);
}

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "org";
}

export async function signup(
  db: Database,
  secret: string,
  input: SignupInput,
): Promise<SessionTokens & { userId: string }> {
  const email = normalizeEmail(input.email);
  if (await findUserByEmail(db, email)) {
    throw new ApiError("CONFLICT", "An account with this email already exists; log in to create another organization", {
      errors: [{ path: "email", message: "Already registered" }],
    });
  }
  const tenantId = newId("tenant");
  const userId = newId("user");
  const slug = `${slugify(input.organizationName)}-${tenantId.slice(-6)}`;
  const statements: BatchItem<"sqlite">[] = [
    db.insert(tenants).values({ id: tenantId, name: input.organizationName.trim(), slug }),
    db
      .insert(users)
      .values({ id: userId, email, name: input.name.trim(), passwordHash: await hashPassword(input.password) }),
    db.insert(memberships).values({ tenantId, userId, role: "owner" }),
    ...tenantSeeders.flatMap((seed) => seed(db, tenantId, userId)),
  ];
  const tokens = await issueTokens(db, secret, { userId, tenantId, role: "owner" }, statements);
  return { ...tokens, userId };
}

/** An existing person creates another organization and becomes its owner. */
export async function createTenantForUser(db: Database, userId: string, organizationName: string) {
  const tenantId = newId("tenant");
  const slug = `${slugify(organizationName)}-${tenantId.slice(-6)}`;
  await db.batch([
    db.insert(tenants).values({ id: tenantId, name: organizationName.trim(), slug }),
    db.insert(memberships).values({ tenantId, userId, role: "owner" }),
    ...tenantSeeders.flatMap((seed) => seed(db, tenantId, userId)),
  ] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { tenantId, slug };
}
