/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares) with a Cholesky solve and step halving: deterministic, a handful of iterations.
 * Minimises Σ log-loss + (λ/2)·‖w‖², the intercept unpenalised (scikit-learn's C is 1/λ).
 */
import { toOffsetSparse, type OffsetSparse } from "./sparse";

export interface LogisticModel {
  kind: "logistic";
  intercept: number;
  coefficients: number[];
  /** The L2 strength it was fitted with. */
  l2: number;
}

export interface LogisticFitOptions {
  l2?: number;
  maxIterations?: number;
  /** Starting point (warm start), e.g. the fit at a neighbouring λ. */
  start?: { intercept: number; coefficients: ArrayLike<number> };
}

export interface LogisticFit {
  model: LogisticModel;
  iterations: number;
  converged: boolean;
}

function baseLogOdds(y: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i] as number;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / y.length));
  return Math.log(rate / (1 - rate));
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function objective(x: OffsetSparse, y: ArrayLike<number>, b: number, w: Float64Array, l2: number): number {
  let offset = b;
  for (let j = 0; j < x.cols; j++) offset += (w[j] as number) * (x.base[j] as number);
  let total = 0;
  for (let i = 0; i < x.rows; i++) {
    let z = offset;
    for (let k = x.start[i] as number; k < (x.start[i + 1] as number); k++)
      z += (w[x.index[k] as number] as number) * (x.delta[k] as number);
    total += softplus(z) - (y[i] as number) * z;
  }
  let penalty = 0;
  for (let j = 0; j < x.cols; j++) penalty += (w[j] as number) ** 2;
  return total + 0.5 * l2 * penalty;
}

/** Solves A·s = g in place of g for a symmetric positive-definite A (size m, row-major). */
function choleskySolve(a: Float64Array, g: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * m + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * m + k] as number) * (l[j * m + k] as number);
      if (i === j) l[i * m + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * m + j] = sum / (l[j * m + j] as number);
    }
  }
  const s = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = g[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * m + k] as number) * (s[k] as number);
    s[i] = sum / (l[i * m + i] as number);
  }
  for (let i = m - 1; i >= 0; i--) {
    let sum = s[i] as number;
    for (let k = i + 1; k < m; k++) sum -= (l[k * m + i] as number) * (s[k] as number);
    s[i] = sum / (l[i * m + i] as number);
  }
  return s;
}

/**
 * Fits on a row-major matrix `x` (n × p) and 0/1 labels `y`. Rows may be given as a subset of
 * indices so cross-validation needs no copies.
 */
export function fitLogistic(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  options: LogisticFitOptions = {},
): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const n = y.length;
  const m = p + 1; // the intercept is the last parameter
  const sparse = toOffsetSparse(x, p);
  const { base, start: rowStart, index, delta } = sparse;
  const w = new Float64Array(p);
  if (options.start) for (let j = 0; j < p; j++) w[j] = options.start.coefficients[j] as number;
  // Without a warm start, begin at the base rate's log-odds.
  let b = options.start ? options.start.intercept : baseLogOdds(y);
  let loss = objective(sparse, y, b, w, l2);
  const hessian = new Float64Array(m * m);
  const gradient = new Float64Array(m);
  const weightedSum = new Float64Array(p);
  const candidate = new Float64Array(p);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    hessian.fill(0);
    gradient.fill(0);
    weightedSum.fill(0);
    let offset = b;
    for (let j = 0; j < p; j++) offset += (w[j] as number) * (base[j] as number);
    let residualTotal = 0;
    let weightTotal = 0;
    // With x = base + d per row: Xᵀr = Σ r·d + (Σ r)·base, and XᵀWX = Σ w·d·dᵀ + s·baseᵀ + base·sᵀ + (Σ w)·base·baseᵀ, s = Σ w·d.
    for (let i = 0; i < n; i++) {
      const from = rowStart[i] as number;
      const to = rowStart[i + 1] as number;
      let z = offset;
      for (let k = from; k < to; k++) z += (w[index[k] as number] as number) * (delta[k] as number);
      const prob = sigmoid(z);
      const residual = prob - (y[i] as number);
      const weight = Math.max(prob * (1 - prob), 1e-10);
      residualTotal += residual;
      weightTotal += weight;
      for (let k = from; k < to; k++) {
        const a = index[k] as number;
        const da = delta[k] as number;
        gradient[a] = (gradient[a] as number) + residual * da;
        weightedSum[a] = (weightedSum[a] as number) + weight * da;
        const wda = weight * da;
        const row = a * m;
        // Indices ascend within a row, so l >= k covers the upper triangle.
        for (let l = k; l < to; l++) {
          const c = index[l] as number;
          hessian[row + c] = (hessian[row + c] as number) + wda * (delta[l] as number);
        }
      }
    }
    for (let a = 0; a < p; a++) {
      const sa = weightedSum[a] as number;
      const ba = base[a] as number;
      for (let c = a; c < p; c++) {
        hessian[a * m + c] =
          (hessian[a * m + c] as number) +
          sa * (base[c] as number) +
          ba * (weightedSum[c] as number) +
          weightTotal * ba * (base[c] as number);
      }
      hessian[a * m + p] = sa + weightTotal * ba;
      gradient[a] = (gradient[a] as number) + residualTotal * ba + l2 * (w[a] as number);
      hessian[a * m + a] = (hessian[a * m + a] as number) + l2;
    }
    gradient[p] = residualTotal;
    hessian[p * m + p] = weightTotal;
    for (let a = 0; a < m; a++) {
      for (let c = 0; c < a; c++) hessian[a * m + c] = hessian[c * m + a] as number;
    }
    const step = choleskySolve(hessian, gradient, m);
    // Step halving keeps every iteration downhill (needed when classes nearly separate).
    let scale = 1;
    let next = loss;
    let candidateB = b;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < p; j++) candidate[j] = (w[j] as number) - scale * (step[j] as number);
      candidateB = b - scale * (step[p] as number);
      next = objective(sparse, y, candidateB, candidate, l2);
      if (next <= loss) break;
      scale /= 2;
    }
    if (next > loss) {
      converged = true;
      break;
    }
    w.set(candidate);
    b = candidateB;
    const improvement = loss - next;
    loss = next;
    let largest = 0;
    for (let j = 0; j < m; j++) largest = Math.max(largest, Math.abs(scale * (step[j] as number)));
    if (largest < 1e-8 || improvement < 1e-10 * Math.max(1, Math.abs(loss))) {
      converged = true;
      break;
    }
  }
  return { model: { kind: "logistic", intercept: b, coefficients: Array.from(w), l2 }, iterations, converged };
}

/** The log-odds for one encoded row. */
export function logisticLogit(model: LogisticModel, row: ArrayLike<number>): number {
  let z = model.intercept;
  for (let j = 0; j < model.coefficients.length; j++) z += (model.coefficients[j] as number) * (row[j] as number);
  return z;
}

/** Each column's contribution to the log-odds: coefficient × standardised value (the baseline is the intercept). */
export function logisticContributions(model: LogisticModel, row: ArrayLike<number>): number[] {
  return model.coefficients.map((c, j) => c * (row[j] as number));
}
