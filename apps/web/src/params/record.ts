import type { ParamMatcher } from "@sveltejs/kit";

/** The CRM objects that have list and detail pages: /contacts, /companies, /leads, /deals, /tasks. */
export const match = ((param: string): param is "contacts" | "companies" | "leads" | "deals" | "tasks" =>
  ["contacts", "companies", "leads", "deals", "tasks"].includes(param)) satisfies ParamMatcher;
