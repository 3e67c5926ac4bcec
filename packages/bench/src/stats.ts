/** Nearest-rank percentile of `values` (0 < p <= 100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export interface Distribution {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

export function distribution(values: readonly number[]): Distribution {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), mean: mean(values) };
}

/** `value / floor`, or null when the floor is too small to divide by meaningfully. */
export function ratio(value: number, floor: number): number | null {
  return floor > 0 && Number.isFinite(value) ? value / floor : null;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(
  limit: number,
  count: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  });
  await Promise.all(workers);
  return results;
}

/** mulberry32: a small seeded generator in [0, 1), so a report's intervals follow from its samples. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A ratio of two percentiles with its bootstrap interval. */
export interface RatioInterval {
  ratio: number;
  /** The interval's bounds (2.5th and 97.5th percentiles of the resampled ratios by default). */
  low: number;
  high: number;
  resamples: number;
  /** How many blocks (batches, or single samples) each side was resampled from. */
  blocks: number;
}

export interface BootstrapOptions {
  /** Which percentile is compared (default 99). */
  percentile?: number;
  resamples?: number;
  /** Central share the interval covers (default 0.95: the 2.5th to the 97.5th percentile). */
  confidence?: number;
  /** Draw the same block indices on both sides (interleaved batches run side by side). */
  paired?: boolean;
  random?: () => number;
}

/** A default seed: the same samples always give the same interval. */
const bootstrapSeed = 0x5eed;

/**
 * The ratio percentile(subject) / percentile(floor) over all samples, and how far it moves when
 * the blocks are resampled with replacement (a block bootstrap): each resample draws as many
 * blocks as there are, pools their samples and takes the ratio again. With `paired`, block i of
 * the subject is drawn with block i of the floor, so a batch that ran in a noisy moment is drawn
 * together with the floor batch that shared that moment.
 */
export function bootstrapRatio(
  subject: readonly (readonly number[])[],
  floor: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): RatioInterval {
  const p = options.percentile ?? 99;
  const resamples = options.resamples ?? 1000;
  // Rounded so 0.95 gives exactly 2.5 (nearest rank would round 2.500000000000002 up a rank).
  const tail = Math.round(((1 - (options.confidence ?? 0.95)) / 2) * 1e6) / 1e4;
  const random = options.random ?? seededRandom(bootstrapSeed);
  if (options.paired && subject.length !== floor.length) {
    throw new Error(`paired blocks differ in number: ${subject.length} and ${floor.length}`);
  }
  const ratioOf = (a: readonly number[], b: readonly number[]) => percentile(a, p) / percentile(b, p);
  const draw = (blocks: readonly (readonly number[])[], indices: number[]) =>
    indices.flatMap((index) => blocks[index] as number[]);
  const indices = (count: number) => Array.from({ length: count }, () => Math.floor(random() * count));
  const ratios: number[] = [];
  for (let resample = 0; resample < resamples; resample++) {
    const subjectIndices = indices(subject.length);
    const floorIndices = options.paired ? subjectIndices : indices(floor.length);
    ratios.push(ratioOf(draw(subject, subjectIndices), draw(floor, floorIndices)));
  }
  return {
    ratio: ratioOf(subject.flat(), floor.flat()),
    low: percentile(ratios, tail),
    high: percentile(ratios, 100 - tail),
    resamples,
    blocks: subject.length,
  };
}

/**
 * A goal's verdict from a ratio's interval rather than its one value: "met" when even the upper
 * bound is within `limit`, "missed" when even the lower bound is over it, otherwise
 * "inconclusive" (this run cannot tell). Noise that moves the point ratio across the limit from
 * run to run widens the interval instead, so the verdict does not flip.
 */
export type Verdict = "met" | "missed" | "inconclusive";

export function verdictWithin(interval: Pick<RatioInterval, "low" | "high">, limit: number): Verdict {
  if (interval.high <= limit) return "met";
  if (interval.low > limit) return "missed";
  return "inconclusive";
}

/** Splits `values` into consecutive blocks of `size` (the last may be shorter). */
export function blocksOf(values: readonly number[], size: number): number[][] {
  const blocks: number[][] = [];
  for (let start = 0; start < values.length; start += size) blocks.push(values.slice(start, start + size));
  return blocks;
}
