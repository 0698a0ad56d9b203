// `node bench/ai-rescore.mjs [contacts]` (not part of npm test; about 10 minutes on 2 cores):
// bulk lead rescoring through the product against a plain D1 scan of the same rows, in one run.
// 1. Seeds `contacts` (default 100,000) contacts with custom fields straight into the Worker's
//    local D1 (multi-row INSERTs through Miniflare, as crm-seed.mjs does); the first 10,000 in id
//    order carry a known outcome (cf.converted), the rest none.
// 2. Trains the tenant's lead model through POST /api/v1/ai/models (it reads up to 20,000
//    contacts and learns from the 10,000 labelled ones): the training time.
// 3. Rescores every contact through POST /api/v1/ai/rescore (queued chunks of 100, consumed by
//    the Worker's queue handler) and polls GET /api/v1/ai/rescore/{id} until done: contacts/s.
// 4. The baseline: GET /__bench/contact-scan reads the same rows the way a chunk does (whole
//    rows, id order, 100 a page) inside the Worker and nothing else: rows/s. Prints the ratio.
import { call, signUp, startBenchWorker } from "./harness.mjs";
import { random, typeId } from "./crm-data.mjs";

const total = Number(process.argv[2] ?? 100_000);
const labelled = Math.min(10_000, total);

function literal(v) {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
}

/** Multi-row INSERTs, each under D1's 100 KB statement limit, one per line for exec. */
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

const columns = [
  "id",
  "tenant_id",
  "first_name",
  "last_name",
  "sort_name",
  "emails",
  "primary_email",
  "phones",
  "title",
  "source",
  "tags",
  "consent_status",
  "do_not_contact",
  "social_links",
  "custom_fields",
  "created_at",
  "updated_at",
];

const plans = ["free", "starter", "pro", "enterprise"];
const sources = ["web", "referral", "event", "ads"];
const titles = ["Analyst", "Manager", "Director", "Engineer", "Founder"];

/** Contact rows with a known, learnable outcome: more visits and a paid plan convert more often. */
function contactRows(tenantId, count) {
  const rand = random(7);
  const start = Date.UTC(2025, 0, 1);
  const rows = [];
  for (let i = 0; i < count; i++) {
    const createdAt = start + i * 60_000;
    const visits = Math.floor(rand() * 40);
    const plan = plans[Math.floor(rand() * plans.length)];
    const odds = -3 + visits * 0.12 + plans.indexOf(plan) * 0.6 + (rand() - 0.5);
    const converted = rand() < 1 / (1 + Math.exp(-odds));
    const fields = { plan, visits, source: sources[i % sources.length] };
    if (i < labelled) fields.converted = converted ? "yes" : "no";
    const email = `lead${i}@bench.example`;
    rows.push([
      typeId("ct", createdAt, rand),
      tenantId,
      `Lead${i}`,
      `Bench${i % 997}`,
      `bench${i % 997}, lead${i}`,
      JSON.stringify([{ address: email, primary: true }]),
      email,
      "[]",
      titles[i % titles.length],
      sources[i % sources.length],
      "[]",
      "unknown",
      0,
      "{}",
      JSON.stringify(fields),
      createdAt,
      createdAt,
    ]);
  }
  return rows;
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

const seconds = (ms) => (ms / 1000).toFixed(1);

const worker = await startBenchWorker("ai-rescore");
try {
  const owner = await signUp(worker.base, "AI rescore", 1);
  const token = owner.accessToken;
  for (const field of [
    { key: "plan", type: "select", options: plans },
    { key: "visits", type: "number" },
    { key: "source", type: "select", options: sources },
    { key: "converted", type: "select", options: ["yes", "no"] },
  ])
    await call(worker.base, "POST", "/api/v1/custom-fields", {
      token,
      body: { objectType: "contact", label: field.key, ...field },
    });

  console.log(`Seeding ${total.toLocaleString("en-US")} contacts into the local D1...`);
  const db = await worker.mf.getD1Database("DB");
  const seedStarted = performance.now();
  await execAll(db, inserts("contacts", columns, contactRows(owner.tenantId, total)));
  console.log(`  seeded in ${seconds(performance.now() - seedStarted)} s`);

  console.log("Training the lead model through the API...");
  const trainStarted = performance.now();
  const model = await call(worker.base, "POST", "/api/v1/ai/models", {
    token,
    body: {
      kind: "lead_score",
      label: { source: "field", field: "cf.converted", positiveValues: ["yes"] },
      fields: ["cf.plan", "cf.visits", "cf.source", "title"],
    },
  });
  const trainMs = performance.now() - trainStarted;
  console.log(
    `  ${model.algorithm}: ${model.metrics.labelledRows} labelled of ${model.metrics.rowsRead} rows read, holdout AUC ${model.metrics.holdoutAuc}, ${seconds(trainMs)} s`,
  );

  console.log("Rescoring every contact through the API (queued chunks)...");
  const rescoreStarted = performance.now();
  let job = await call(worker.base, "POST", "/api/v1/ai/rescore", { token, body: { kind: "lead_score" } });
  const deadline = Date.now() + 30 * 60_000;
  while (job.status !== "completed" && job.status !== "failed") {
    if (Date.now() > deadline) throw new Error(`Rescoring still ${job.status} after 30 minutes (${job.scored} scored)`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    job = await call(worker.base, "GET", `/api/v1/ai/rescore/${job.id}`, { token });
  }
  const rescoreMs = performance.now() - rescoreStarted;
  if (job.status !== "completed") throw new Error(`Rescoring failed: ${job.failureReason}`);
  const rescorePerSecond = job.scored / (rescoreMs / 1000);
  console.log(`  ${job.scored} contacts in ${job.chunksDone} chunks, ${seconds(rescoreMs)} s`);

  console.log("Baseline: the same rows read in the Worker the way a chunk reads them...");
  const scan = await call(worker.base, "GET", `/__bench/contact-scan?tenantId=${owner.tenantId}`);
  const scanPerSecond = scan.rows / (scan.ms / 1000);
  console.log(`  ${scan.rows} rows in ${scan.pages} pages of ${scan.pageSize}, ${seconds(scan.ms)} s`);

  console.log("");
  console.log(`Lead model training (${model.metrics.labelledRows} labelled rows)   ${seconds(trainMs)} s`);
  console.log(`Bulk rescoring through the API                ${rescorePerSecond.toFixed(0).padStart(7)} contacts/s`);
  console.log(`Plain D1 scan of the same rows (baseline)     ${scanPerSecond.toFixed(0).padStart(7)} rows/s`);
  console.log(`Ratio rescoring / scan                        ${(rescorePerSecond / scanPerSecond).toFixed(3)}`);
} finally {
  await worker.dispose();
}
