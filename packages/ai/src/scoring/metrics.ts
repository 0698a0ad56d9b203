/**
 * Evaluation metrics and deterministic splits for binary classifiers. Labels are 0/1,
 * scores are probabilities (or any monotone score, for AUC).
 */

/** A small seeded generator (mulberry32): the same seed gives the same split everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle of a copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/**
 * Area under the ROC curve by the rank-sum (Mann-Whitney) formula, with tied scores given their
 * average rank (a tie between a positive and a negative counts one half). NaN when a class is absent.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new Error("labels and scores differ in length");
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let positiveRankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const value = scores[order[i] as number] as number;
    while (j + 1 < n && scores[order[j + 1] as number] === value) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k] as number] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15] as scikit-learn does. */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const eps = 1e-15;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i] as number));
    total -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return total / labels.length;
}

/** Share of rows whose probability falls on the right side of 0.5 (0.5 itself counts as positive). */
export function accuracyAtHalf(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    if (((probabilities[i] as number) >= 0.5 ? 1 : 0) === labels[i]) right++;
  }
  return right / labels.length;
}

/**
 * Stratified holdout: shuffles each class with the seed and sends round(fraction × class size)
 * of it to the test part, so both parts keep the label balance. Returns row indices, each ascending.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  testFraction: number,
  seed: number,
): { train: number[]; test: number[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error("testFraction must be between 0 and 1");
  const random = seededRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) members.push(i);
    const mixed = shuffled(members, random);
    const testCount = Math.round(mixed.length * testFraction);
    test.push(...mixed.slice(0, testCount));
    train.push(...mixed.slice(testCount));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/**
 * Stratified k folds: each class shuffled with the seed and dealt round-robin, so fold sizes
 * differ by at most one per class. Returns each fold's row indices, ascending.
 */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number): number[][] {
  if (!(Number.isInteger(k) && k >= 2)) throw new Error("k must be an integer of at least 2");
  const random = seededRandom(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const cls of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) members.push(i);
    for (const index of shuffled(members, random)) {
      (folds[next % k] as number[]).push(index);
      next++;
    }
  }
  return folds.map((fold) => fold.sort((a, b) => a - b));
}
