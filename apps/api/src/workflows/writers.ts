// How the runner writes records: through the same body schemas as the API's create and
// update routes and then the same services, so a workflow's write is validated, audited,
// indexed and turned into domain events exactly like a person's.
import type { z } from "@hono/zod-openapi";
import { ApiError, zodIssuesToFieldErrors } from "@crm/errors";
import {
  createCompany,
  createContact,
  createDeal,
  createLead,
  createTask,
  type TenantContext,
  updateCompany,
  updateContact,
  updateDeal,
  updateLead,
  updateTask,
} from "@crm/services";
import type { WorkflowObject } from "@crm/workflows";
import { CreateCompanyBodySchema, UpdateCompanyBodySchema } from "../routes/companies/schema";
import { CreateContactBodySchema, UpdateContactBodySchema } from "../routes/contacts/schema";
import { CreateDealBodySchema, dealInputFrom, UpdateDealBodySchema } from "../routes/deals/schema";
import { CreateLeadBodySchema, UpdateLeadBodySchema } from "../routes/leads/schema";
import { CreateTaskBodySchema, taskDates, UpdateTaskBodySchema } from "../routes/tasks/schema";

type Body = Record<string, unknown>;
type Written = { id: string } & Record<string, unknown>;

interface Writer {
  create: z.ZodType;
  update: z.ZodType;
  doCreate: (ctx: TenantContext, body: Body) => Promise<Written>;
  doUpdate: (ctx: TenantContext, id: string, body: Body) => Promise<Written>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- bodies are validated by the route schemas just before */
const writers: Record<WorkflowObject, Writer> = {
  contact: {
    create: CreateContactBodySchema,
    update: UpdateContactBodySchema,
    doCreate: (ctx, body) => createContact(ctx, body as any),
    doUpdate: (ctx, id, body) => updateContact(ctx, id, body as any),
  },
  company: {
    create: CreateCompanyBodySchema,
    update: UpdateCompanyBodySchema,
    doCreate: (ctx, body) => createCompany(ctx, body as any),
    doUpdate: (ctx, id, body) => updateCompany(ctx, id, body as any),
  },
  lead: {
    create: CreateLeadBodySchema,
    update: UpdateLeadBodySchema,
    doCreate: (ctx, body) => createLead(ctx, body as any),
    doUpdate: (ctx, id, body) => updateLead(ctx, id, body as any),
  },
  deal: {
    create: CreateDealBodySchema,
    update: UpdateDealBodySchema,
    doCreate: (ctx, body) => createDeal(ctx, dealInputFrom(body) as any),
    doUpdate: (ctx, id, body) => updateDeal(ctx, id, dealInputFrom(body) as any),
  },
  task: {
    create: CreateTaskBodySchema,
    update: UpdateTaskBodySchema,
    doCreate: (ctx, body) => createTask(ctx, taskDates(body) as any) as Promise<Written>,
    doUpdate: (ctx, id, body) => updateTask(ctx, id, taskDates(body) as any) as Promise<Written>,
  },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

function parsed(schema: z.ZodType, body: Body): Body {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new ApiError("VALIDATION_FAILED", "The request has invalid fields", {
      errors: zodIssuesToFieldErrors(result.error.issues, "body"),
    });
  }
  return result.data as Body;
}

export async function createRecord(ctx: TenantContext, object: WorkflowObject, body: Body): Promise<Written> {
  const writer = writers[object];
  return writer.doCreate(ctx, parsed(writer.create, body));
}

export async function updateRecord(ctx: TenantContext, object: WorkflowObject, id: string, body: Body) {
  const writer = writers[object];
  return writer.doUpdate(ctx, id, parsed(writer.update, body));
}

/** `{ field: value }` as a body: `customFields.<key>` goes inside customFields. */
export function bodyFor(fields: Record<string, unknown>): Body {
  const body: Body = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field.startsWith("customFields.")) {
      const custom = (body.customFields ??= {}) as Body;
      custom[field.slice("customFields.".length)] = value;
    } else body[field] = value;
  }
  return body;
}

/** A failure as the run history shows it: the API's message and the fields at fault. */
export function failureMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = (error.errors ?? []).map((e) => `${e.path}: ${e.message}`).join("; ");
    return (fields ? `${error.message} (${fields})` : error.message).slice(0, 2000);
  }
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}
