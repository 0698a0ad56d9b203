// A multinomial logistic regression over sparse named features, shared by the text models.
// Trained by full-batch Adam on the mean cross-entropy plus an L2 penalty that can differ by
// feature family (prefix), so it is deterministic: same examples in, same weights out.

export type SparseFeatures = ReadonlyMap<string, number>;

export interface LabelledFeatures {
  features: SparseFeatures;
  label: string;
}

/** A trained model as stored (JSON-safe). */
export interface LinearModel {
  classes: string[];
  /** Per class intercept. */
  bias: number[];
  /** Feature name → one weight per class. */
  weights: Record<string, number[]>;
}

export interface LinearTrainingOptions {
  /** L2 penalty for features without a more specific one. */
  l2: number;
  /** L2 penalty by feature-name prefix ("lex:" → 0.0001); the longest matching prefix wins. */
  l2ByPrefix?: Record<string, number>;
  iterations: number;
  learningRate: number;
  /** Features seen in fewer examples than this are left out (prefixes in `alwaysKeep` excepted). */
  minCount: number;
  alwaysKeep?: string[];
  /** Weights smaller than this (absolute) are dropped from the stored model to keep it small. */
  pruneBelow?: number;
  /** Decimal places kept in the stored model. */
  decimals?: number;
}

/** Trains the model; `classes` fixes the class order (every label must be one of them). */
export function trainLinearModel(
  examples: readonly LabelledFeatures[],
  classes: readonly string[],
  options: LinearTrainingOptions,
): LinearModel {
  const classCount = classes.length;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const counts = new Map<string, number>();
  for (const e of examples) for (const name of e.features.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  const keep = (name: string) =>
    (counts.get(name) ?? 0) >= options.minCount || (options.alwaysKeep ?? []).some((p) => name.startsWith(p));
  const names = [...counts.keys()].filter(keep).sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const penalty = names.map((n) => l2For(n, options));

  const rows = examples.map((e) => {
    const label = classIndex.get(e.label);
    if (label === undefined) throw new Error(`label "${e.label}" is not one of ${classes.join(", ")}`);
    const idx: number[] = [];
    const val: number[] = [];
    for (const [name, value] of e.features) {
      const i = index.get(name);
      if (i !== undefined && value !== 0) {
        idx.push(i);
        val.push(value);
      }
    }
    return { idx, val, label };
  });

  const featureCount = names.length;
  const size = (featureCount + 1) * classCount; // the last row holds the intercepts
  const w = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const z = new Float64Array(classCount);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const n = Math.max(1, rows.length);
  const biasRow = featureCount * classCount;

  for (let step = 1; step <= options.iterations; step++) {
    grad.fill(0);
    for (const row of rows) {
      for (let c = 0; c < classCount; c++) z[c] = w[biasRow + c]!;
      for (let k = 0; k < row.idx.length; k++) {
        const base = row.idx[k]! * classCount;
        const x = row.val[k]!;
        for (let c = 0; c < classCount; c++) z[c]! += w[base + c]! * x;
      }
      softmaxInPlace(z);
      z[row.label]! -= 1; // now the gradient of the loss with respect to the logits
      for (let c = 0; c < classCount; c++) grad[biasRow + c]! += z[c]! / n;
      for (let k = 0; k < row.idx.length; k++) {
        const base = row.idx[k]! * classCount;
        const x = row.val[k]!;
        for (let c = 0; c < classCount; c++) grad[base + c]! += (z[c]! * x) / n;
      }
    }
    for (let f = 0; f < featureCount; f++) {
      const lambda = penalty[f]!;
      for (let c = 0; c < classCount; c++) grad[f * classCount + c]! += lambda * w[f * classCount + c]!;
    }
    const correction1 = 1 - beta1 ** step;
    const correction2 = 1 - beta2 ** step;
    for (let i = 0; i < size; i++) {
      const g = grad[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      w[i]! -= (options.learningRate * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + 1e-8);
    }
  }

  const factor = 10 ** (options.decimals ?? 4);
  const round = (x: number) => Math.round(x * factor) / factor + 0; // + 0: no "-0" in the JSON
  const weights: Record<string, number[]> = {};
  names.forEach((name, f) => {
    const row = Array.from({ length: classCount }, (_, c) => round(w[f * classCount + c]!));
    if (row.some((x) => Math.abs(x) >= (options.pruneBelow ?? 0) && x !== 0)) weights[name] = row;
  });
  return {
    classes: [...classes],
    bias: Array.from({ length: classCount }, (_, c) => round(w[biasRow + c]!)),
    weights,
  };
}

function l2For(name: string, options: LinearTrainingOptions): number {
  let best = -1;
  let value = options.l2;
  for (const [prefix, l2] of Object.entries(options.l2ByPrefix ?? {})) {
    if (name.startsWith(prefix) && prefix.length > best) {
      best = prefix.length;
      value = l2;
    }
  }
  return value;
}

function softmaxInPlace(z: Float64Array | number[]): void {
  let max = -Infinity;
  for (const x of z) if (x > max) max = x;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c]! - max);
    sum += z[c]!;
  }
  for (let c = 0; c < z.length; c++) z[c] = z[c]! / sum;
}

/** Each class's logit for these features (features the model never saw add nothing). */
export function linearLogits(model: LinearModel, features: SparseFeatures): number[] {
  const z = [...model.bias];
  for (const [name, value] of features) {
    const row = model.weights[name];
    if (row) for (let c = 0; c < z.length; c++) z[c]! += row[c]! * value;
  }
  return z;
}

export function softmax(logits: readonly number[]): number[] {
  const z = [...logits];
  softmaxInPlace(z);
  return z;
}

/**
 * What each present feature adds to class `c`'s logit relative to the mean of the other classes
 * (for two classes: exactly its share of the log-odds), strongest first.
 */
export function featureContributions(
  model: LinearModel,
  features: SparseFeatures,
  c: number,
): { feature: string; value: number; impact: number }[] {
  const out: { feature: string; value: number; impact: number }[] = [];
  const others = model.classes.length - 1;
  for (const [name, value] of features) {
    const row = model.weights[name];
    if (!row || value === 0) continue;
    const rest = others > 0 ? (row.reduce((s, x) => s + x, 0) - row[c]!) / others : 0;
    const impact = (row[c]! - rest) * value;
    if (impact !== 0) out.push({ feature: name, value, impact });
  }
  return out.sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact) || a.feature.localeCompare(b.feature));
}
