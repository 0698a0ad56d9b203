/**
 * Nelder-Mead simplex minimisation: deterministic (fixed start and steps), derivative-free, good
 * enough for the 1-4 smoothing parameters of the exponential-smoothing models.
 */
export interface MinimizeOptions {
  /** Initial step along each axis when building the simplex. */
  step?: number;
  maxIterations?: number;
  /** Stop when the simplex's values differ by less than this (relative to their size). */
  tolerance?: number;
}

export interface Minimum {
  point: number[];
  value: number;
  iterations: number;
}

export function nelderMead(f: (x: number[]) => number, start: number[], options: MinimizeOptions = {}): Minimum {
  const dim = start.length;
  const step = options.step ?? 0.5;
  const maxIterations = options.maxIterations ?? 200 * dim;
  const tolerance = options.tolerance ?? 1e-10;
  const safe = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  let simplex: { x: number[]; v: number }[] = [{ x: [...start], v: safe(start) }];
  for (let i = 0; i < dim; i++) {
    const x = [...start];
    x[i] = x[i]! + step;
    simplex.push({ x, v: safe(x) });
  }

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0]!;
    const worst = simplex[dim]!;
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + tolerance)) break;

    const centroid = new Array<number>(dim).fill(0);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) centroid[j]! += simplex[i]!.x[j]! / dim;
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j]! - c));

    const reflected = along(-1);
    const vr = safe(reflected);
    if (vr < best.v) {
      const expanded = along(-2);
      const ve = safe(expanded);
      simplex[dim] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
      continue;
    }
    if (vr < simplex[dim - 1]!.v) {
      simplex[dim] = { x: reflected, v: vr };
      continue;
    }
    const contracted = vr < worst.v ? along(-0.5) : along(0.5);
    const vc = safe(contracted);
    if (vc < Math.min(vr, worst.v)) {
      simplex[dim] = { x: contracted, v: vc };
      continue;
    }
    // Shrink towards the best point.
    simplex = simplex.map((p, i) => {
      if (i === 0) return p;
      const x = p.x.map((xi, j) => best.x[j]! + 0.5 * (xi - best.x[j]!));
      return { x, v: safe(x) };
    });
  }
  simplex.sort((a, b) => a.v - b.v);
  return { point: simplex[0]!.x, value: simplex[0]!.v, iterations };
}

/** Maps an unconstrained number into (lo, hi): the optimiser searches freely, the model sees a valid parameter. */
export function squash(x: number, lo: number, hi: number): number {
  return lo + (hi - lo) / (1 + Math.exp(-x));
}

/** The inverse of `squash`, for starting points. */
export function unsquash(p: number, lo: number, hi: number): number {
  const u = (p - lo) / (hi - lo);
  return Math.log(u / (1 - u));
}
