import { auditLog, contacts } from "@crm/db";
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { BatchItem } from "drizzle-orm/batch";
import { actorVia } from "../access";
import type { TenantContext } from "../context";

/** isoTime of a stored time (epoch ms, from 1970 to 9999), in SQL. */
const isoTimeSql = (ms: SQLiteColumn) =>
  sql`case when ${ms} is null then null else strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || printf('.%03dZ', ${ms} % 1000) end`;

/**
 * publicContact(row) as JSON, built in SQL from the contact's stored row: the same keys in
 * the same order, emails and phones with their label (null when none), times as ISO text.
 * json() around subqueries: a value loses its JSON subtype on the way out of one.
 */
const publicContactJsonSql = (c: typeof contacts): SQL =>
  sql`json_object('id', ${c.id}, 'firstName', ${c.firstName}, 'lastName', ${c.lastName},
    'emails', json((select json_group_array(json_object('address', e.value ->> 'address', 'primary', json(e.value -> 'primary'), 'label', e.value ->> 'label')) from json_each(${c.emails}) e)),
    'phones', json((select json_group_array(json_object('number', p.value ->> 'number', 'label', p.value ->> 'label')) from json_each(${c.phones}) p)),
    'title', ${c.title}, 'companyId', ${c.companyId}, 'lifecycleStage', ${c.lifecycleStage},
    'lifecycleStageChangedAt', ${isoTimeSql(c.lifecycleStageChangedAt)}, 'leadStatus', ${c.leadStatus},
    'source', ${c.source}, 'ownerId', ${c.ownerId}, 'tags', json(${c.tags}),
    'consent', json_object('status', ${c.consentStatus}, 'changedAt', ${isoTimeSql(c.consentChangedAt)}, 'source', ${c.consentSource}),
    'doNotContact', json(iif(${c.doNotContact}, 'true', 'false')), 'timeZone', ${c.timeZone}, 'address', json(${c.address}),
    'socialLinks', json(${c.socialLinks}), 'customFields', json(${c.customFields}),
    'createdAt', ${isoTimeSql(c.createdAt)}, 'updatedAt', ${isoTimeSql(c.updatedAt)})`;

/**
 * The audit entries of contacts created earlier in the same batch, copied from their rows:
 * each `[contact id, audit id]` gets the entry auditRow makes for a create (the snapshot
 * publicContact gives, by this actor and request), without sending every snapshot to D1 a
 * second time (it was ~60% of an import chunk's bytes). import-rows.test.ts compares the
 * entries with the API's.
 */
export function createdContactAuditQueries(ctx: TenantContext, entries: [string, string][]): BatchItem<"sqlite">[] {
  const now = Date.now();
  return ctx.db.copyRowsWithQueries(auditLog, contacts, entries, (entry) => ({
    id: entry(1),
    actorType: sql`${ctx.actor.type}`,
    actorId: sql`${ctx.actor.id}`,
    via: sql`${actorVia(ctx.actor)}`,
    action: sql`'create'`,
    entity: sql`'contact'`,
    entityId: contacts.id,
    after: publicContactJsonSql(contacts),
    requestId: sql`${ctx.requestId ?? null}`,
    // D1 binds a number as a REAL.
    createdAt: sql`cast(${now} as integer)`,
  }));
}
