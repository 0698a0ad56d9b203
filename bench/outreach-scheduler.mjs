// `node bench/outreach-scheduler.mjs [enrollments] [busy]` (not part of npm test): the outreach
// scheduler as production runs it, under Miniflare with the bundled Worker.
//   A: one tenant, a one-step email sequence whose window is open all week (nothing waits), no
//      mailbox (the dev outbox, no spacing or daily cap) and `enrollments` (default 100,000)
//      active enrollments all due now, seeded straight into D1. Cron ticks (the scheduled
//      handler, scheduled time = now) enqueue `outreach.send` jobs; the queue consumer renders
//      and sends each into the dev outbox. Ticks are driven back to back (a tick whenever less
//      than one tick's worth of sends is outstanding), measured until every enrollment has its
//      message sent. Baseline in the same run: node:sqlite inserting the same rows (one
//      outbox_messages + one outreach_messages row per send, copied from a sent one) in one
//      transaction into the migrations' schema.
//   B: a busy minute: `busy` (default 5,000) enrollments whose due times are spread over one
//      minute, a tick every second; the lag sent_at - due_at from the rows, p50 and max.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { root } from "../scripts/lib.mjs";
import { random, typeId } from "./crm-data.mjs";
import { call, signUp, startBenchWorker } from "./harness.mjs";

const enrollmentCount = Number(process.argv[2] ?? 100_000);
const busyCount = Number(process.argv[3] ?? 5_000);
/** The Cron expression whose tick runs the scheduler (apps/api/src/cron.ts). */
const schedulerCron = "* * * * *";
/** findDueSends' per-tenant limit per tick (packages/services/src/outreach/send.ts). */
const dueSendsPerTick = 5000;
const timeoutMs = 6 * 3600_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function literal(v) {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
}

/** Multi-row INSERTs, each under D1's 100 KB statement limit, one per line (exec runs lines). */
function inserts(table, columns, rows, maxBytes = 90_000) {
  const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
  const out = [];
  let values = [];
  let size = head.length;
  for (const row of rows) {
    const value = `(${row.map(literal).join(", ")})`;
    if (size + value.length + 2 > maxBytes && values.length > 0) {
      out.push(`${head}${values.join(", ")};`);
      values = [];
      size = head.length;
    }
    values.push(value);
    size += value.length + 2;
  }
  if (values.length > 0) out.push(`${head}${values.join(", ")};`);
  return out;
}

async function execAll(db, statements, chunkBytes = 4_000_000) {
  let chunk = [];
  let size = 0;
  for (const statement of statements) {
    chunk.push(statement);
    size += statement.length;
    if (size >= chunkBytes) {
      await db.exec(chunk.join("\n"));
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length > 0) await db.exec(chunk.join("\n"));
}

/**
 * `count` contacts (each with an email address, consent unknown, as an API-created contact)
 * and one active enrollment each in the sequence, due at dueAt(i). Returns enrollment id → due time.
 */
async function seedEnrollments(db, { tenantId, ownerId, sequenceId, stepId, count, label, dueAt, seed }) {
  const rand = random(seed);
  const now = Date.now();
  const contacts = [];
  const enrollments = [];
  const due = new Map();
  for (let i = 0; i < count; i++) {
    const contactId = typeId("ct", now, rand);
    const email = `${label}${i}@bench.example`;
    contacts.push([
      contactId,
      tenantId,
      `${label[0].toUpperCase()}${label.slice(1)}${i}`,
      `Bench${i % 977}`,
      `bench${i % 977} ${label}${i}`,
      JSON.stringify([{ address: email, primary: true }]),
      email,
      "[]",
      "[]",
      "unknown",
      0,
      "{}",
      "{}",
      now,
      now,
    ]);
    const enrollmentId = typeId("enr", now, rand);
    const at = dueAt(i);
    due.set(enrollmentId, at);
    enrollments.push([
      enrollmentId,
      tenantId,
      sequenceId,
      contactId,
      "active",
      "manual",
      ownerId,
      stepId,
      at,
      0,
      now,
      now,
    ]);
  }
  await execAll(db, [
    ...inserts(
      "contacts",
      columns`id tenant_id first_name last_name sort_name emails primary_email phones tags consent_status
        do_not_contact social_links custom_fields created_at updated_at`,
      contacts,
    ),
    ...inserts(
      "sequence_enrollments",
      columns`id tenant_id sequence_id contact_id status source enrolled_by next_step_id due_at steps_completed
        created_at updated_at`,
      enrollments,
    ),
  ]);
  return due;
}

function columns(strings) {
  return strings[0].trim().split(/\s+/);
}

/**
 * Sends so far, polled every 250 ms: the tenant's enrollments no longer active (a send completes
 * its one-step enrollment in the same transaction as its message; the tenant has no other
 * enrollments and no part's sends are skipped). A covering count of the partial index of active
 * enrollments, which shrinks as the run goes: counting the sent outreach_messages rows instead
 * read every one of them per poll, 400 row reads a second at 100,000 inside the D1 the
 * consumer writes to. The messages are counted exactly once at the end of each part.
 */
async function sentCount(db, tenantId, total) {
  const row = await db
    .prepare("select count(*) as n from sequence_enrollments where tenant_id = ?1 and status = 'active'")
    .bind(tenantId)
    .first();
  return total - row.n;
}

async function sentMessages(db, tenantId, sequenceId) {
  const row = await db
    .prepare(
      "select count(*) as n from outreach_messages where tenant_id = ?1 and sequence_id = ?2 and status = 'sent'",
    )
    .bind(tenantId, sequenceId)
    .first();
  return row.n;
}

/** CPU time (ms) the workerd processes under this one have used so far, from /proc. */
function workerdCpuMs() {
  try {
    const pids = execFileSync("pgrep", ["-P", String(process.pid), "workerd"], { encoding: "utf8" })
      .trim()
      .split("\n");
    let ticks = 0;
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks * 10;
  } catch {
    return Number.NaN;
  }
}

/** A sequence through the API: one email step, no delay, a window open every day all day. */
async function createSequence(base, owner, name) {
  const sequence = await call(base, "POST", "/api/v1/sequences", {
    token: owner.accessToken,
    body: {
      name,
      sendWindow: { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "23:59" },
      steps: [
        {
          delayAmount: 0,
          delayUnit: "days",
          variants: [
            {
              key: "A",
              weight: 100,
              subject: "Hi {{contact.firstName|there}}",
              body: "A note for {{contact.firstName|there}} {{contact.lastName}} at {{company.name|your company}}: the trial ends soon.",
            },
          ],
        },
      ],
    },
  });
  return { sequenceId: sequence.id, stepId: sequence.steps[0].id };
}

/** The same rows as a send writes (copied from a sent one), inserted by node:sqlite in one transaction. */
function rawSqliteSendsPerSecond(count, outreachRow, outboxRow) {
  const db = new DatabaseSync(":memory:");
  const migrations = path.join(root, "migrations");
  for (const file of readdirSync(migrations)
    .filter((f) => f.endsWith(".sql"))
    .sort())
    for (const statement of readFileSync(path.join(migrations, file), "utf8").split("--> statement-breakpoint"))
      if (statement.trim()) db.exec(statement);
  const prepared = (table, row) => {
    const keys = Object.keys(row);
    return {
      keys,
      insert: db.prepare(`insert into ${table} (${keys.join(", ")}) values (${keys.map(() => "?").join(", ")})`),
    };
  };
  const outreach = prepared("outreach_messages", outreachRow);
  const outbox = prepared("outbox_messages", outboxRow);
  const began = performance.now();
  db.exec("begin");
  for (let i = 0; i < count; i++) {
    const unique = {
      id: `m_${i}`,
      dedupe_key: `${outreachRow.dedupe_key}:${i}`,
      reply_token: `${outreachRow.reply_token}${i}`,
    };
    outreach.insert.run(...outreach.keys.map((k) => unique[k] ?? outreachRow[k]));
    outbox.insert.run(
      ...outbox.keys.map((k) => (k === "id" ? `o_${i}` : k === "dedupe_key" ? `d_${i}` : outboxRow[k])),
    );
  }
  db.exec("commit");
  return count / ((performance.now() - began) / 1000);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const worker = await startBenchWorker("outreach-scheduler");
try {
  const { base, mf } = worker;
  const db = await mf.getD1Database("DB");
  const scheduler = await mf.getWorker();
  const tick = (at = Date.now()) => scheduler.scheduled({ cron: schedulerCron, scheduledTime: new Date(at) });
  const owner = await signUp(base, "Outreach bench", 1);

  // A: throughput.
  const main = await createSequence(base, owner, "Throughput");
  console.log(`Seeding ${enrollmentCount.toLocaleString()} contacts and enrollments, all due now...`);
  const seedStarted = performance.now();
  const dueNow = Date.now() - 1000;
  await seedEnrollments(db, {
    tenantId: owner.tenantId,
    ownerId: owner.ownerId,
    ...main,
    count: enrollmentCount,
    label: "due",
    dueAt: () => dueNow,
    seed: 1,
  });
  console.log(`  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  const began = performance.now();
  const cpuBefore = workerdCpuMs();
  let ticks = 0;
  let enqueued = 0;
  let sent = 0;
  let tickMs = 0;
  let reported = began;
  while (sent < enrollmentCount) {
    if (performance.now() - began > timeoutMs) throw new Error(`Only ${sent} of ${enrollmentCount} sent`);
    // Back to back, but never more than one tick's worth ahead of the consumer (a lease
    // outlived by its queued message would be enqueued again).
    if (enqueued - sent < dueSendsPerTick && enqueued < enrollmentCount) {
      const tickStarted = performance.now();
      await tick();
      tickMs += performance.now() - tickStarted;
      ticks++;
      enqueued = Math.min(enrollmentCount, enqueued + dueSendsPerTick);
    }
    await sleep(250);
    sent = await sentCount(db, owner.tenantId, enrollmentCount);
    if (performance.now() - reported > 30_000) {
      reported = performance.now();
      console.log(`  ${sent.toLocaleString()} sent after ${((reported - began) / 1000).toFixed(0)} s (${ticks} ticks)`);
    }
  }
  const seconds = (performance.now() - began) / 1000;
  const cpuMs = workerdCpuMs() - cpuBefore;
  const sendRate = enrollmentCount / seconds;
  const outreachRow = await db
    .prepare("select * from outreach_messages where sequence_id = ?1 and status = 'sent' limit 1")
    .bind(main.sequenceId)
    .first();
  const outboxRow = await db
    .prepare("select * from outbox_messages where tenant_id = ?1 and kind = 'outreach' limit 1")
    .bind(owner.tenantId)
    .first();
  const messageCount = await sentMessages(db, owner.tenantId, main.sequenceId);
  if (messageCount !== enrollmentCount) throw new Error(`${messageCount} sent messages for ${enrollmentCount} sends`);
  const outboxCount = (
    await db
      .prepare("select count(*) as n from outbox_messages where tenant_id = ?1 and kind = 'outreach'")
      .bind(owner.tenantId)
      .first()
  ).n;
  if (outboxCount !== enrollmentCount) throw new Error(`${outboxCount} outbox rows for ${enrollmentCount} sends`);
  const rawRate = rawSqliteSendsPerSecond(enrollmentCount, outreachRow, outboxRow);

  // B: a busy minute.
  const busy = await createSequence(base, owner, "Busy minute");
  const minuteStart = Date.now() + 5_000;
  const dueTimes = await seedEnrollments(db, {
    tenantId: owner.tenantId,
    ownerId: owner.ownerId,
    ...busy,
    count: busyCount,
    label: "busy",
    dueAt: (i) => minuteStart + Math.floor((i / busyCount) * 60_000),
    seed: 2,
  });
  let busySent = 0;
  let busyTicks = 0;
  const busyBegan = performance.now();
  while (busySent < busyCount) {
    if (performance.now() - busyBegan > timeoutMs) throw new Error(`Only ${busySent} of ${busyCount} sent`);
    const tickAt = Date.now();
    await tick(tickAt);
    busyTicks++;
    busySent = await sentCount(db, owner.tenantId, busyCount);
    await sleep(Math.max(0, 1000 - (Date.now() - tickAt)));
  }
  const rows = (
    await db
      .prepare("select enrollment_id, sent_at from outreach_messages where sequence_id = ?1 and status = 'sent'")
      .bind(busy.sequenceId)
      .all()
  ).results;
  if (rows.length !== busyCount) throw new Error(`${rows.length} sent messages for ${busyCount} busy sends`);
  const lags = rows.map((r) => r.sent_at - dueTimes.get(r.enrollment_id)).sort((a, b) => a - b);

  console.log(`\nOutreach scheduler, one tenant, N = ${enrollmentCount.toLocaleString()} due enrollments:`);
  console.log(
    `  A: sent through Cron ticks + queue consumer into the dev outbox: ${Math.round(sendRate).toLocaleString()} messages/s (${seconds.toFixed(1)} s, ${ticks} ticks taking ${(tickMs / 1000).toFixed(1)} s in all)`,
  );
  console.log(
    `  B: raw SQLite (node:sqlite, one transaction, 1 outreach_messages + 1 outbox_messages row each): ${Math.round(rawRate).toLocaleString()} sends/s`,
  );
  console.log(`  A/B = ${(sendRate / rawRate).toFixed(4)}`);
  console.log(`  workerd CPU time: ${(cpuMs / enrollmentCount).toFixed(2)} ms per send`);
  console.log(
    `Busy minute: ${busyCount.toLocaleString()} enrollments due within one minute, a tick every second (${busyTicks} ticks):`,
  );
  console.log(
    `  lag sent_at - due_at: p50 ${(percentile(lags, 50) / 1000).toFixed(1)} s, p99 ${(percentile(lags, 99) / 1000).toFixed(1)} s, max ${(lags.at(-1) / 1000).toFixed(1)} s`,
  );
  console.log(`  (production's Cron runs the scheduler every minute: add up to 60 s to these)`);
} finally {
  await worker.dispose();
}
