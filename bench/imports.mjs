// `node bench/imports.mjs [rows]` (not part of npm test): a CSV import of `rows` contacts
// (default 100,000) through the real routes and queue (upload to the local R2 bucket, start,
// chunks consumed by the Worker's queue handler) under Miniflare, against inserting the same
// rows straight into SQLite (node:sqlite, the migrations' schema, one transaction) in the same
// run. Prints rows/s of both, their ratio, the import's wall time and workerd's peak memory.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { root } from "../scripts/lib.mjs";
import { call, signUp, startBenchWorker } from "./harness.mjs";

const rows = Number(process.argv[2] ?? 100_000);

function contactsCsv(count) {
  const lines = ["First name,Last name,Email,Job title,Tags"];
  for (let i = 0; i < count; i++)
    lines.push(`Ada${i},Lovelace${i % 977},ada${i}@bench.example,"Analyst, level ${i % 7}",${i % 3 ? "vip" : ""}`);
  return `${lines.join("\n")}\n`;
}

/** The same rows into the real schema with one transaction: what raw SQLite does with them. */
function rawSqliteRowsPerSecond(count) {
  const db = new DatabaseSync(":memory:");
  const migrations = path.join(root, "migrations");
  for (const file of readdirSync(migrations)
    .filter((f) => f.endsWith(".sql"))
    .sort())
    for (const statement of readFileSync(path.join(migrations, file), "utf8").split("--> statement-breakpoint"))
      if (statement.trim()) db.exec(statement);
  const insert = db.prepare(
    "insert into contacts (id, tenant_id, first_name, last_name, sort_name, emails, primary_email, phones, title, " +
      "tags, consent_status, do_not_contact, social_links, custom_fields, created_at, updated_at) " +
      "values (?, 'tn_bench', ?, ?, ?, ?, ?, '[]', ?, ?, 'unknown', 0, '{}', '{}', ?, ?)",
  );
  const began = performance.now();
  db.exec("begin");
  for (let i = 0; i < count; i++) {
    const email = `ada${i}@bench.example`;
    const now = Date.now();
    insert.run(
      `ct_${i}`,
      `Ada${i}`,
      `Lovelace${i % 977}`,
      `lovelace${i % 977} ada${i}`,
      JSON.stringify([{ address: email, primary: true }]),
      email,
      `Analyst, level ${i % 7}`,
      JSON.stringify(i % 3 ? ["vip"] : []),
      now,
      now,
    );
  }
  db.exec("commit");
  return count / ((performance.now() - began) / 1000);
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
      // fields[11] and [12] are user and system time, in 1/100 s.
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Time (ms) the workerd processes' threads have spent on a CPU and waiting in the run queue
 * for one, from /proc/<pid>/task/<tid>/schedstat: wall time minus both is time spent idle
 * (waiting on I/O, timers, the queue), which tells a starved import from a waiting one.
 */
function workerdSchedMs() {
  let running = 0;
  let queued = 0;
  try {
    const pids = execFileSync("pgrep", ["-P", String(process.pid), "workerd"], { encoding: "utf8" })
      .trim()
      .split("\n");
    for (const pid of pids)
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const [onCpu, waiting] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
        running += onCpu / 1e6;
        queued += waiting / 1e6;
      }
  } catch {
    return { running: Number.NaN, queued: Number.NaN };
  }
  return { running, queued };
}

/** Peak resident memory (VmHWM) of the workerd processes under this one, in MiB. */
function workerdPeakMiB() {
  try {
    const pids = execFileSync("pgrep", ["-P", String(process.pid), "workerd"], { encoding: "utf8" })
      .trim()
      .split("\n");
    return Math.max(
      ...pids.map((pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024),
    );
  } catch {
    return Number.NaN;
  }
}

const worker = await startBenchWorker("imports");
try {
  const tenant = await signUp(worker.base, "Import bench", 1);
  // Progress is polled with an API key: a 1,048,576-row import outlasts the owner's 15-minute access token.
  const pollKey = await call(worker.base, "POST", "/api/v1/api-keys", {
    token: tenant.accessToken,
    body: { name: "import bench", scopes: ["imports:read"], rateLimit: 100_000 },
  });
  const csv = Buffer.from(contactsCsv(rows));
  console.log(`Uploading ${rows.toLocaleString()} rows (${(csv.byteLength / 1024 / 1024).toFixed(1)} MiB)...`);
  const uploadStarted = performance.now();
  const response = await fetch(new URL("/api/v1/imports?objectType=contact", worker.base), {
    method: "POST",
    headers: { authorization: `Bearer ${tenant.accessToken}`, "content-type": "text/csv" },
    body: csv,
  });
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
  const uploaded = await response.json();
  const uploadSeconds = (performance.now() - uploadStarted) / 1000;
  const id = uploaded.import.id;
  const began = performance.now();
  const cpuBefore = workerdCpuMs();
  const schedBefore = workerdSchedMs();
  await call(worker.base, "POST", `/api/v1/imports/${id}/start`, {
    token: tenant.accessToken,
    body: { mapping: uploaded.mapping },
  });
  let job;
  let reported = performance.now();
  for (;;) {
    job = await call(worker.base, "GET", `/api/v1/imports/${id}`, { token: pollKey.key });
    if (["completed", "failed", "cancelled"].includes(job.status)) break;
    if (performance.now() - reported > 60_000) {
      reported = performance.now();
      const elapsed = (reported - began) / 1000;
      console.log(`  ${job.progress.rowsDone.toLocaleString()} rows after ${elapsed.toFixed(0)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const seconds = (performance.now() - began) / 1000;
  const cpuMs = workerdCpuMs() - cpuBefore;
  const schedAfter = workerdSchedMs();
  if (job.status !== "completed" || job.progress.created !== rows)
    throw new Error(`import ended ${job.status}: ${JSON.stringify(job.progress)} ${job.failureReason ?? ""}`);
  const importRate = rows / seconds;
  const rawRate = rawSqliteRowsPerSecond(rows);
  console.log(`upload + detection + preview: ${uploadSeconds.toFixed(1)} s`);
  console.log(
    `import: ${rows.toLocaleString()} rows in ${seconds.toFixed(1)} s = ${Math.round(importRate).toLocaleString()} rows/s`,
  );
  console.log(
    `raw SQLite (node:sqlite, one transaction, contacts rows only): ${Math.round(rawRate).toLocaleString()} rows/s`,
  );
  console.log(`ratio import / raw: ${(importRate / rawRate).toFixed(3)}`);
  // Steadier than rows/s on a shared machine: what the import cost workerd, whatever else ran.
  console.log(`workerd CPU time: ${((cpuMs / rows) * 1000).toFixed(0)} ms per 1,000 rows`);
  const running = (schedAfter.running - schedBefore.running) / 1000;
  const queued = (schedAfter.queued - schedBefore.queued) / 1000;
  console.log(
    `workerd over the import's ${seconds.toFixed(1)} s: on a CPU ${running.toFixed(1)} s (${((running / seconds) * 100).toFixed(0)}% of one core), ` +
      `waiting for a CPU ${queued.toFixed(1)} s, idle about ${Math.max(0, seconds - running - queued).toFixed(1)} s ` +
      "(threads overlap, so these are sums over threads; idle is what is left of the wall time)",
  );
  console.log(`workerd peak resident memory: ${workerdPeakMiB().toFixed(0)} MiB`);
} finally {
  await worker.dispose();
}
