/**
 * Gradient-boosted regression trees for log-loss (second-order, as XGBoost/LightGBM do): each
 * round fits a depth-limited tree to the gradients, splitting on quantile bins of each column,
 * leaves set by a Newton step and shrunk by the learning rate. No sampling, so deterministic.
 */
import { logLoss } from "./metrics";
import { sigmoid } from "./logistic";

/** One tree in flat arrays; node 0 is the root, a leaf has feature -1. */
export interface RegressionTree {
  feature: number[];
  /** Rows with value <= threshold go left. */
  threshold: number[];
  left: number[];
  right: number[];
  /** Every node's shrunk Newton value; a row's output is its leaf's, inner nodes serve explanations. */
  value: number[];
}

export interface BoostedModel {
  kind: "boosted-trees";
  /** The starting log-odds (the training positive rate). */
  baseScore: number;
  learningRate: number;
  trees: RegressionTree[];
}

export interface BoostingOptions {
  rounds?: number;
  learningRate?: number;
  maxDepth?: number;
  maxBins?: number;
  /** L2 on leaf values. */
  lambda?: number;
  /** Least hessian (≈ rows × p(1-p)) on each side of a split. */
  minChildWeight?: number;
  minSamplesLeaf?: number;
  /** Rows to watch: their log loss after every round is returned, for choosing the round count. */
  validation?: { x: Float64Array; y: ArrayLike<number> };
  /** With validation rows: stop once their log loss has not improved for this many rounds. */
  patience?: number;
}

export interface BoostingFit {
  model: BoostedModel;
  /** Validation log loss after each round, when validation rows were given. */
  validationLoss: number[];
}

/** Quantile cut points of one column: at most maxBins - 1 increasing thresholds. */
function cutPoints(values: Float64Array, maxBins: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const cuts: number[] = [];
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i] as number);
  if (distinct.length <= maxBins) return distinct.slice(0, -1);
  for (let q = 1; q < maxBins; q++) {
    const v = sorted[Math.floor((q * sorted.length) / maxBins)] as number;
    if (v < (distinct[distinct.length - 1] as number) && (cuts.length === 0 || v > (cuts[cuts.length - 1] as number)))
      cuts.push(v);
  }
  return cuts;
}

function binOf(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= (cuts[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function fitBoosted(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  options: BoostingOptions = {},
): BoostingFit {
  const rounds = options.rounds ?? 200;
  const eta = options.learningRate ?? 0.1;
  const maxDepth = options.maxDepth ?? 3;
  const maxBins = Math.min(options.maxBins ?? 32, 256);
  const lambda = options.lambda ?? 1;
  const minChildWeight = options.minChildWeight ?? 1;
  const minSamplesLeaf = options.minSamplesLeaf ?? 10;
  const n = y.length;

  const cuts: number[][] = [];
  const bins = new Uint8Array(n * p);
  const column = new Float64Array(n);
  // Each column's commonest bin is left out of the per-row lists; its histogram entry is the node total minus the rest.
  const commonBin = new Int32Array(p);
  const binCounts = new Int32Array(maxBins);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) column[i] = x[i * p + j] as number;
    const c = cutPoints(column, maxBins);
    cuts.push(c);
    binCounts.fill(0);
    for (let i = 0; i < n; i++) {
      const bin = binOf(c, column[i] as number);
      bins[i * p + j] = bin;
      binCounts[bin] = (binCounts[bin] as number) + 1;
    }
    let best = 0;
    for (let k = 1; k < maxBins; k++) if ((binCounts[k] as number) > (binCounts[best] as number)) best = k;
    commonBin[j] = best;
  }
  const rowStart = new Int32Array(n + 1);
  const entries: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const bin = bins[i * p + j] as number;
      if (bin !== commonBin[j]) entries.push(j * maxBins + bin);
    }
    rowStart[i + 1] = entries.length;
  }
  const slots = Int32Array.from(entries);

  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] as number;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / n));
  const baseScore = Math.log(rate / (1 - rate));
  const margin = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const model: BoostedModel = { kind: "boosted-trees", baseScore, learningRate: eta, trees: [] };

  const validation = options.validation;
  const validationMargin = validation ? new Float64Array(validation.y.length).fill(baseScore) : null;
  const validationLoss: number[] = [];
  const histG = new Float64Array(p * maxBins);
  const histH = new Float64Array(p * maxBins);
  const histN = new Int32Array(p * maxBins);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;

  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(margin[i] as number);
      grad[i] = prob - (y[i] as number);
      hess[i] = Math.max(prob * (1 - prob), 1e-12);
    }
    const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const grow = (rows: Int32Array, depth: number): number => {
      let g = 0;
      let h = 0;
      for (const i of rows) {
        g += grad[i] as number;
        h += hess[i] as number;
      }
      const node = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push((-eta * g) / (h + lambda) || 0); // `|| 0`: no -0 in stored models
      if (depth >= maxDepth || rows.length < 2 * minSamplesLeaf) return node;
      histG.fill(0);
      histH.fill(0);
      histN.fill(0);
      for (const i of rows) {
        const gi = grad[i] as number;
        const hi = hess[i] as number;
        for (let e = rowStart[i] as number; e < (rowStart[i + 1] as number); e++) {
          const k = slots[e] as number;
          histG[k] = (histG[k] as number) + gi;
          histH[k] = (histH[k] as number) + hi;
          histN[k] = (histN[k] as number) + 1;
        }
      }
      for (let j = 0; j < p; j++) {
        let gs = 0;
        let hs = 0;
        let ns = 0;
        for (let k = j * maxBins; k < (j + 1) * maxBins; k++) {
          gs += histG[k] as number;
          hs += histH[k] as number;
          ns += histN[k] as number;
        }
        const k = j * maxBins + (commonBin[j] as number);
        histG[k] = g - gs;
        histH[k] = h - hs;
        histN[k] = rows.length - ns;
      }
      const parentScore = (g * g) / (h + lambda);
      let bestGain = 1e-9;
      let bestFeature = -1;
      let bestBin = -1;
      for (let j = 0; j < p; j++) {
        const binCount = (cuts[j] as number[]).length;
        let gl = 0;
        let hl = 0;
        let nl = 0;
        for (let b = 0; b < binCount; b++) {
          const k = j * maxBins + b;
          gl += histG[k] as number;
          hl += histH[k] as number;
          nl += histN[k] as number;
          const nr = rows.length - nl;
          const hr = h - hl;
          if (nl < minSamplesLeaf || hl < minChildWeight) continue;
          if (nr < minSamplesLeaf || hr < minChildWeight) break;
          const gr = g - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = j;
            bestBin = b;
          }
        }
      }
      if (bestFeature < 0) return node;
      const leftRows: number[] = [];
      const rightRows: number[] = [];
      for (const i of rows) ((bins[i * p + bestFeature] as number) <= bestBin ? leftRows : rightRows).push(i);
      tree.feature[node] = bestFeature;
      tree.threshold[node] = (cuts[bestFeature] as number[])[bestBin] as number;
      tree.left[node] = grow(Int32Array.from(leftRows), depth + 1);
      tree.right[node] = grow(Int32Array.from(rightRows), depth + 1);
      return node;
    };
    grow(all, 0);
    model.trees.push(tree);
    for (let i = 0; i < n; i++) {
      let node = 0;
      while ((tree.feature[node] as number) >= 0) {
        const j = tree.feature[node] as number;
        node =
          (x[i * p + j] as number) <= (tree.threshold[node] as number)
            ? (tree.left[node] as number)
            : (tree.right[node] as number);
      }
      margin[i] = (margin[i] as number) + (tree.value[node] as number);
    }
    if (validation && validationMargin) {
      const m = validation.y.length;
      const probs = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        validationMargin[i] =
          (validationMargin[i] as number) + treeOutput(tree, validation.x.subarray(i * p, (i + 1) * p));
        probs[i] = sigmoid(validationMargin[i] as number);
      }
      validationLoss.push(logLoss(validation.y, probs));
      const best = validationLoss.indexOf(Math.min(...validationLoss));
      if (options.patience !== undefined && validationLoss.length - 1 - best >= options.patience) break;
    }
  }
  return { model, validationLoss };
}

function leafOf(tree: RegressionTree, row: ArrayLike<number>): number {
  let node = 0;
  while ((tree.feature[node] as number) >= 0) {
    node =
      (row[tree.feature[node] as number] as number) <= (tree.threshold[node] as number)
        ? (tree.left[node] as number)
        : (tree.right[node] as number);
  }
  return node;
}

function treeOutput(tree: RegressionTree, row: ArrayLike<number>): number {
  return tree.value[leafOf(tree, row)] as number;
}

/** The log-odds for one encoded row. */
export function boostedLogit(model: BoostedModel, row: ArrayLike<number>): number {
  let z = model.baseScore;
  for (const tree of model.trees) z += treeOutput(tree, row);
  return z;
}

/**
 * Path contributions (Saabas): along each tree's path, the change in node value at a split is
 * credited to the split's column. Returns the baseline (start score plus every root's value) and
 * the per-column contributions; baseline + Σ contributions is exactly the log-odds.
 */
export function boostedContributions(
  model: BoostedModel,
  row: ArrayLike<number>,
  p: number,
): { baseline: number; contributions: number[] } {
  const contributions = new Array<number>(p).fill(0);
  let baseline = model.baseScore;
  for (const tree of model.trees) {
    let node = 0;
    baseline += tree.value[0] as number;
    while ((tree.feature[node] as number) >= 0) {
      const j = tree.feature[node] as number;
      const next =
        (row[j] as number) <= (tree.threshold[node] as number)
          ? (tree.left[node] as number)
          : (tree.right[node] as number);
      contributions[j] = (contributions[j] as number) + (tree.value[next] as number) - (tree.value[node] as number);
      node = next;
    }
  }
  return { baseline, contributions };
}
