// `node scripts/ai-eval-api.mjs [leads|churn] [path to the CSV]` (not part of npm test): the
// scoring evaluations run through the product itself. The Worker runs under Miniflare with a fresh
// local D1; the CSV (../shared/datasets/leads/Leads.csv or churn/Telco-Customer-Churn.csv) is imported
// with the import feature into a new organization, each column a custom field, with the outcome
// (Converted, Churn) left blank on a held-out 20% (stratified, seeded); the organization's model
// (lead_score or churn) is trained through POST /api/v1/ai/models on the rest, and each held-out
// contact is scored through the API (POST /api/v1/contacts/{id}/score, GET .../churn-risk).
// Prints the held-out AUC of the model's probability; for leads with every column and without the
// rep-assigned ones (Tags, Lead Quality, Lead Profile, the Asymmetrique indices).
import path from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { call, signUp, startBenchWorker } from "../bench/harness.mjs";
import { root } from "./lib.mjs";

const datasets = {
  leads: {
    file: ["leads", "Leads.csv"],
    kind: "lead_score",
    outcomeColumn: "Converted",
    positive: "1",
    idColumn: "Prospect ID",
    numericColumns: [
      "TotalVisits",
      "Total Time Spent on Website",
      "Page Views Per Visit",
      "Asymmetrique Activity Score",
      "Asymmetrique Profile Score",
    ],
    missingTokens: ["Select"],
    // Ids, and what the product itself sets on a contact (import time, scoring's lead status and stage).
    leaks: ["cf.prospect_id", "cf.lead_number", "createdAt", "leadStatus", "lifecycleStage"],
    withoutColumns: {
      label: "without the rep-assigned columns",
      prefixes: ["Tags", "Lead Quality", "Lead Profile", "Asymmetrique"],
    },
  },
  churn: {
    file: ["churn", "Telco-Customer-Churn.csv"],
    kind: "churn",
    outcomeColumn: "Churn",
    positive: "Yes",
    idColumn: "customerID",
    numericColumns: ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"],
    missingTokens: [],
    leaks: ["cf.customerid", "createdAt", "leadStatus", "lifecycleStage"],
    withoutColumns: null,
  },
};
const datasetName = process.argv[2] && !process.argv[2].endsWith(".csv") ? process.argv[2] : "leads";
const dataset = datasets[datasetName];
if (!dataset) throw new Error(`Unknown dataset ${datasetName}: leads or churn`);

/** The CSV: the argument, or shared/datasets beside the checkout (or beside its parent, for worktrees). */
const file =
  process.argv.slice(2).find((arg) => arg.endsWith(".csv")) ??
  [path.join(root, ".."), path.join(root, "..", "..")]
    .map((dir) => path.join(dir, "shared", "datasets", ...dataset.file))
    .find((candidate) => existsSync(candidate));
if (!file) throw new Error(`${dataset.file.join("/")} not found: pass its path`);
const { outcomeColumn, idColumn } = dataset;
const numericColumns = new Set(dataset.numericColumns);

const keyOf = (header) =>
  header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/^(\d)/, "c_$1")
    .slice(0, 63);

/** Mulberry32: the same split on every run. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mann-Whitney AUC with ties counted half. */
function auc(labels, scores) {
  const order = scores.map((s, i) => [s, labels[i]]).sort((x, y) => x[0] - y[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (order[k][1] !== 1) continue;
      rankSum += rank;
      positives++;
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const quote = (cell) => `"${String(cell).replace(/"/g, '""')}"`;

const [header, ...rows] = parse(readFileSync(file));
const outcomeAt = header.indexOf(outcomeColumn);
const idAt = header.indexOf(idColumn);
// Stratified 80/20: a fifth of each outcome held out.
const random = seeded(7);
const heldOut = new Set();
for (const value of new Set(rows.map((r) => r[outcomeAt]))) {
  const members = rows.map((r, i) => [r, i]).filter(([r]) => r[outcomeAt] === value);
  for (let i = members.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [members[i], members[j]] = [members[j], members[i]];
  }
  for (const [, i] of members.slice(0, Math.round(members.length * 0.2))) heldOut.add(i);
}
const truth = new Map(
  rows.filter((_, i) => heldOut.has(i)).map((r) => [r[idAt], r[outcomeAt] === dataset.positive ? 1 : 0]),
);
const csv = [header, ...rows.map((r, i) => (heldOut.has(i) ? r.map((c, k) => (k === outcomeAt ? "" : c)) : r))]
  .map((r) => r.map(quote).join(","))
  .join("\n");

const worker = await startBenchWorker("ai-eval");
try {
  const base = worker.base;
  const owner = await signUp(base, "AI eval", 1);
  const { key } = await call(base, "POST", "/api/v1/api-keys", {
    token: owner.accessToken,
    body: {
      name: "ai eval",
      scopes: ["contacts:read", "contacts:write", "ai:read", "ai:write", "imports:read", "imports:write"],
      rateLimit: 100_000,
    },
  });
  for (const column of header)
    await call(base, "POST", "/api/v1/custom-fields", {
      token: owner.accessToken,
      body: {
        objectType: "contact",
        key: keyOf(column),
        label: column,
        type: numericColumns.has(column) ? "number" : "text",
      },
    });

  const began = performance.now();
  const uploadResponse = await fetch(
    new URL(`/api/v1/imports?objectType=contact&fileName=${path.basename(file)}`, base),
    {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
      body: new TextEncoder().encode(csv),
    },
  );
  if (uploadResponse.status !== 201) throw new Error(`upload: ${uploadResponse.status} ${await uploadResponse.text()}`);
  const uploaded = await uploadResponse.json();
  // Every column a custom field; the prospect id is also the contact's name (a contact needs one).
  const mapping = Object.fromEntries(header.map((column) => [column, `cf.${keyOf(column)}`]));
  mapping[idColumn] = "firstName";
  await call(base, "POST", `/api/v1/imports/${uploaded.import.id}/start`, {
    token: key,
    body: { mapping, matchKey: "none" },
  });
  let job;
  do {
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await call(base, "GET", `/api/v1/imports/${uploaded.import.id}`, { token: key });
  } while (!["completed", "failed", "cancelled"].includes(job.status));
  console.log(
    `import: ${job.status}, ${job.progress.created} contacts in ${((performance.now() - began) / 1000).toFixed(1)} s`,
  );

  const ids = new Map();
  for (let cursor = null; ;) {
    const page = await call(base, "GET", `/api/v1/contacts?limit=200${cursor ? `&cursor=${cursor}` : ""}`, {
      token: key,
    });
    for (const c of page.data) if (truth.has(c.firstName)) ids.set(c.firstName, c.id);
    if (!page.nextCursor) break;
    cursor = encodeURIComponent(page.nextCursor);
  }

  const runs = [["every column", dataset.leaks]];
  if (dataset.withoutColumns)
    runs.push([
      dataset.withoutColumns.label,
      [
        ...dataset.leaks,
        ...header
          .filter((h) => dataset.withoutColumns.prefixes.some((prefix) => h.startsWith(prefix)))
          .map((h) => `cf.${keyOf(h)}`),
      ],
    ]);
  for (const [label, exclude] of runs) {
    const trainBegan = performance.now();
    const model = await call(base, "POST", "/api/v1/ai/models", {
      token: key,
      body: {
        kind: dataset.kind,
        label: { source: "field", field: `cf.${keyOf(outcomeColumn)}`, positiveValues: [dataset.positive] },
        exclude,
        missingTokens: dataset.missingTokens,
      },
    });
    const trainSeconds = (performance.now() - trainBegan) / 1000;
    const labels = [];
    const scores = [];
    for (const [prospect, id] of ids) {
      // Lead scores: POST scores with the model in use now (a GET would return an earlier run's stored
      // score). Churn risk is always read with the organization's active churn model.
      const score =
        dataset.kind === "churn"
          ? await call(base, "GET", `/api/v1/contacts/${id}/churn-risk`, { token: key })
          : await call(base, "POST", `/api/v1/contacts/${id}/score`, { token: key });
      labels.push(truth.get(prospect));
      scores.push(score.probability);
    }
    console.log(
      `${label}: trained on ${model.metrics.labelledRows} rows in ${trainSeconds.toFixed(1)} s (${model.algorithm}, ` +
        `its own holdout AUC ${model.metrics.holdoutAuc}); AUC on ${labels.length} held-out contacts scored through ` +
        `the API: ${auc(labels, scores).toFixed(3)}`,
    );
  }
} finally {
  await worker.dispose();
}
