import { allScopes } from "@crm/services";
import { addMember, type TestPerson } from "../people";
import { createKey, signupTenant, type TestTenant } from "../harness";
import type { Role } from "./openapi";

/** High enough that a harness running hundreds of requests is never rate limited. */
export const harnessKeyRateLimit = 100_000;

export interface TenantPrincipals {
  tenantId: string;
  owner: TestTenant;
  /** A key holding every scope. */
  allScopesKey: string;
}

/** Tenant A with one person per role, and tenant B (the outsider). */
export interface World {
  a: TenantPrincipals & { people: Record<Role, TestTenant> };
  b: TenantPrincipals;
  /** A key of tenant A holding every scope except `scope`, made on first use. */
  keyWithout(scope: string): Promise<string>;
}

async function allScopesKey(owner: TestTenant): Promise<string> {
  return (await createKey(owner, allScopes, { name: "all scopes", rateLimit: harnessKeyRateLimit })).key;
}

export async function buildWorld(): Promise<World> {
  const [ownerA, ownerB] = await Promise.all([signupTenant("Tenant A"), signupTenant("Tenant B")]);
  const [admin, member, viewer]: TestPerson[] = await Promise.all(
    (["admin", "member", "viewer"] as const).map((role) => addMember(ownerA, role)),
  );
  const [keyA, keyB] = await Promise.all([allScopesKey(ownerA), allScopesKey(ownerB)]);
  const withoutCache = new Map<string, Promise<string>>();
  return {
    a: {
      tenantId: ownerA.tenantId,
      owner: ownerA,
      allScopesKey: keyA,
      people: { owner: ownerA, admin: admin!, member: member!, viewer: viewer! },
    },
    b: { tenantId: ownerB.tenantId, owner: ownerB, allScopesKey: keyB },
    keyWithout(scope) {
      let key = withoutCache.get(scope);
      if (!key) {
        const scopes = allScopes.filter((s) => s !== scope);
        key = createKey(ownerA, scopes, { name: `without ${scope}`, rateLimit: harnessKeyRateLimit }).then(
          (k) => k.key,
        );
        withoutCache.set(scope, key);
      }
      return key;
    },
  };
}
