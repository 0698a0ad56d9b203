// A/B variants: each enrollment gets one variant per step, picked from its weights by a hash
// of a stable seed (the enrollment and step ids), so a retried send renders the same variant
// and the split converges on the weights.

export interface WeightedVariant {
  key: string;
  weight: number;
}

/** FNV-1a, 32-bit: small, stable across runtimes, evenly spread for ids. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The variant for `seed`, each chosen with probability weight / total weight. */
export function pickVariant<T extends WeightedVariant>(variants: readonly T[], seed: string): T {
  if (variants.length === 0) throw new Error("A step needs at least one variant");
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  if (total <= 0) return variants[0]!;
  let point = hash32(seed) % total;
  for (const variant of variants) {
    const weight = Math.max(0, variant.weight);
    if (point < weight) return variant;
    point -= weight;
  }
  return variants[variants.length - 1]!;
}

/** What is wrong with a step's variants (keys unique, weights summing to 100), by field. */
export function variantProblems(variants: readonly WeightedVariant[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  variants.forEach((v, i) => {
    if (seen.has(v.key)) problems.push({ path: `${i}.key`, message: `Variant key ${v.key} is used twice` });
    seen.add(v.key);
  });
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (variants.length > 0 && total !== 100)
    problems.push({
      path: `${variants.length - 1}.weight`,
      message: `The weights must sum to 100 (they sum to ${total})`,
    });
  return problems;
}
