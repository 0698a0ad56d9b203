/**
 * Encoded matrices are mostly one column's commonest value (a standardised one-hot column is
 * one value for every row without that category). Storing each row as its departures from the
 * column's commonest value makes the per-row work of model fitting proportional to what differs.
 */
export interface OffsetSparse {
  rows: number;
  cols: number;
  /** Each column's commonest value. */
  base: Float64Array;
  /** CSR: row i's entries are start[i] .. start[i + 1] - 1. */
  start: Int32Array;
  index: Int32Array;
  /** x[i][index] - base[index]. */
  delta: Float64Array;
}

export function toOffsetSparse(x: Float64Array, p: number): OffsetSparse {
  const n = p === 0 ? 0 : x.length / p;
  const base = new Float64Array(p);
  const counts = new Map<number, number>();
  for (let j = 0; j < p; j++) {
    counts.clear();
    let best = 0;
    let bestCount = -1;
    for (let i = 0; i < n; i++) {
      const v = x[i * p + j] as number;
      const c = (counts.get(v) ?? 0) + 1;
      counts.set(v, c);
      if (c > bestCount) {
        bestCount = c;
        best = v;
      }
    }
    base[j] = best;
  }
  const start = new Int32Array(n + 1);
  const index: number[] = [];
  const delta: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const d = (x[i * p + j] as number) - (base[j] as number);
      if (d !== 0) {
        index.push(j);
        delta.push(d);
      }
    }
    start[i + 1] = index.length;
  }
  return { rows: n, cols: p, base, start, index: Int32Array.from(index), delta: Float64Array.from(delta) };
}
