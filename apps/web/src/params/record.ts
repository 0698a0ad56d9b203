import type { ObjectKey } from "$lib/records/objects";

export const match = (param: string): param is ObjectKey =>
  ["contacts", "companies", "leads", "deals", "tasks"].includes(param);
