/** Shapes the API returns (see /openapi.json: Me, Session). Shared by server and pages. */
export type Role = "owner" | "admin" | "member" | "viewer";

export interface TenantMembership {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

export interface Me {
  user: { id: string; email: string; name: string; createdAt: string };
  tenant: { id: string; name: string; slug: string };
  role: Role;
  tenants: TenantMembership[];
}

/** What a form action hands back to its page when the API refused the request. */
export interface FormFailure<Values extends Record<string, string> = Record<string, string>> {
  /** The API's problem `detail` (or ours when the API could not be reached). */
  message: string;
  /** Field name → message, from the problem's `errors[].path` (`body.email` → `email`). */
  fields: Partial<Record<keyof Values & string, string>>;
  /** What the person typed (never the password), so the form keeps it. */
  values: Partial<Values>;
}
