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
  // Column-major, so partitioning a node by one column reads memory in order.
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
      bins[j * n + i] = bin;
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
      const bin = bins[j * n + i] as number;
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
  const validationProbability = new Float64Array(validation ? validation.y.length : 0);
  const validationColumns = new Float64Array(validation ? validation.x.length : 0);
  if (validation) {
    const m = validation.y.length;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < p; j++) validationColumns[j * m + i] = validation.x[i * p + j] as number;
  }
  let bestValidationLoss = Number.POSITIVE_INFINITY;
  let bestValidationRound = 0;
  // One histogram buffer per depth. A node builds only its smaller child's histogram; the larger
  // child's is the parent's minus it, computed in the parent's buffer (LightGBM's subtraction).
  // Buffers still needed by pending siblings sit at depths above the one being built, so one per depth is enough.
  const levels = Array.from({ length: maxDepth + 1 }, () => ({
    g: new Float64Array(p * maxBins),
    h: new Float64Array(p * maxBins),
    n: new Int32Array(p * maxBins),
  }));
  type Histogram = (typeof levels)[number];
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;

  const buildHistogram = (rows: Int32Array, target: Histogram): void => {
    const { g: hg, h: hh, n: hn } = target;
    hg.fill(0);
    hh.fill(0);
    hn.fill(0);
    let g = 0;
    let h = 0;
    const count = rows.length;
    for (let r = 0; r < count; r++) {
      const i = rows[r] as number;
      const gi = grad[i] as number;
      const hi = hess[i] as number;
      g += gi;
      h += hi;
      for (let e = rowStart[i] as number; e < (rowStart[i + 1] as number); e++) {
        const k = slots[e] as number;
        hg[k] = (hg[k] as number) + gi;
        hh[k] = (hh[k] as number) + hi;
        hn[k] = (hn[k] as number) + 1;
      }
    }
    for (let j = 0; j < p; j++) {
      let gs = 0;
      let hs = 0;
      let ns = 0;
      for (let k = j * maxBins; k < (j + 1) * maxBins; k++) {
        gs += hg[k] as number;
        hs += hh[k] as number;
        ns += hn[k] as number;
      }
      const k = j * maxBins + (commonBin[j] as number);
      hg[k] = (hg[k] as number) + g - gs;
      hh[k] = (hh[k] as number) + h - hs;
      hn[k] = (hn[k] as number) + count - ns;
    }
  };

  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(margin[i] as number);
      grad[i] = prob - (y[i] as number);
      hess[i] = Math.max(prob * (1 - prob), 1e-12);
    }
    const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const grow = (rows: Int32Array, depth: number, given: Histogram | null): number => {
      let g = 0;
      let h = 0;
      const count = rows.length;
      for (let r = 0; r < count; r++) {
        const i = rows[r] as number;
        g += grad[i] as number;
        h += hess[i] as number;
      }
      const node = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      const value = (-eta * g) / (h + lambda) || 0; // `|| 0`: no -0 in stored models
      tree.value.push(value);
      // A leaf adds its value to its own rows' margins (cheaper than walking every row down the tree).
      const leaf = () => {
        for (let r = 0; r < count; r++) {
          const i = rows[r] as number;
          margin[i] = (margin[i] as number) + value;
        }
        return node;
      };
      if (depth >= maxDepth || count < 2 * minSamplesLeaf) return leaf();
      let own = given;
      if (!own) {
        own = levels[depth] as Histogram;
        buildHistogram(rows, own);
      }
      const { g: histG, h: histH, n: histN } = own;
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
          const nr = count - nl;
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
      if (bestFeature < 0) return leaf();
      let leftCount = 0;
      const column = bestFeature * n;
      for (let r = 0; r < count; r++) if ((bins[column + (rows[r] as number)] as number) <= bestBin) leftCount++;
      const leftRows = new Int32Array(leftCount);
      const rightRows = new Int32Array(count - leftCount);
      let li = 0;
      let ri = 0;
      for (let r = 0; r < count; r++) {
        const i = rows[r] as number;
        if ((bins[column + i] as number) <= bestBin) leftRows[li++] = i;
        else rightRows[ri++] = i;
      }
      tree.feature[node] = bestFeature;
      tree.threshold[node] = (cuts[bestFeature] as number[])[bestBin] as number;
      let leftHistogram: Histogram | null = null;
      let rightHistogram: Histogram | null = null;
      if (depth + 1 < maxDepth) {
        const smallIsLeft = leftCount <= count - leftCount;
        const small = levels[depth + 1] as Histogram;
        buildHistogram(smallIsLeft ? leftRows : rightRows, small);
        for (let k = 0; k < histG.length; k++) {
          histG[k] = (histG[k] as number) - (small.g[k] as number);
          histH[k] = (histH[k] as number) - (small.h[k] as number);
          histN[k] = (histN[k] as number) - (small.n[k] as number);
        }
        leftHistogram = smallIsLeft ? small : own;
        rightHistogram = smallIsLeft ? own : small;
      }
      tree.left[node] = grow(leftRows, depth + 1, leftHistogram);
      tree.right[node] = grow(rightRows, depth + 1, rightHistogram);
      return node;
    };
    grow(all, 0, null);
    model.trees.push(tree);
    if (validation && validationMargin) {
      const m = validation.y.length;
      for (let i = 0; i < m; i++) {
        let node = 0;
        while ((tree.feature[node] as number) >= 0) {
          const j = tree.feature[node] as number;
          node =
            (validationColumns[j * m + i] as number) <= (tree.threshold[node] as number)
              ? (tree.left[node] as number)
              : (tree.right[node] as number);
        }
        validationMargin[i] = (validationMargin[i] as number) + (tree.value[node] as number);
        validationProbability[i] = sigmoid(validationMargin[i] as number);
      }
      const loss = logLoss(validation.y, validationProbability);
      validationLoss.push(loss);
      if (loss < bestValidationLoss) {
        bestValidationLoss = loss;
        bestValidationRound = round;
      }
      if (options.patience !== undefined && round - bestValidationRound >= options.patience) break;
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
