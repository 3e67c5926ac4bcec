import { describe, expect, it } from "vitest";
import {
  blocksOf,
  bootstrapRatio,
  percentile,
  seededRandom,
  verdictWithin,
} from "../../packages/bench/src/stats.ts";

const constant = (value: number, count: number) => Array.from({ length: count }, () => value);

describe("the bench's interval maths", () => {
  it("a seeded generator repeats itself and stays in [0, 1)", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBe(1000);
    expect(seededRandom(8)()).not.toBe(values[0]);
  });

  it("judges a goal on the interval: met only if the upper bound is within, missed only if the lower bound is over", () => {
    expect(verdictWithin({ low: 0.9, high: 1.2 }, 1.2)).toBe("met");
    expect(verdictWithin({ low: 1.1, high: 1.21 }, 1.2)).toBe("inconclusive");
    expect(verdictWithin({ low: 1.2, high: 1.5 }, 1.2)).toBe("inconclusive");
    expect(verdictWithin({ low: 1.21, high: 1.5 }, 1.2)).toBe("missed");
  });

  it("a subject that is always twice its floor has the interval [2, 2]", () => {
    const floor = blocksOf(
      Array.from({ length: 200 }, (_, index) => 1 + (index % 17)),
      20,
    );
    const subject = floor.map((block) => block.map((value) => value * 2));
    const interval = bootstrapRatio(subject, floor, { paired: true });
    expect(interval).toEqual({ ratio: 2, low: 2, high: 2, resamples: 1000, blocks: 10 });
  });

  it("resamples whole batches: one slow batch out of two makes the interval span both outcomes", () => {
    // Drawing batch A twice gives ratio 1 (a quarter of resamples); any draw with B gives 3.
    const subject = [constant(1, 50), constant(3, 50)];
    const floor = [constant(1, 50), constant(1, 50)];
    const interval = bootstrapRatio(subject, floor, { paired: true });
    expect(interval.ratio).toBe(3);
    expect(interval.low).toBe(1);
    expect(interval.high).toBe(3);
    expect(verdictWithin(interval, 1.2)).toBe("inconclusive");
  });

  it("the same samples give the same interval, and the bounds are the 2.5th and 97.5th percentiles of the resampled ratios", () => {
    const random = seededRandom(3);
    const noisy = () => Array.from({ length: 25 }, () => 1 + random() * (random() < 0.05 ? 20 : 1));
    const subject = Array.from({ length: 20 }, noisy);
    const floor = Array.from({ length: 20 }, noisy);
    const first = bootstrapRatio(subject, floor, { paired: true });
    expect(bootstrapRatio(subject, floor, { paired: true })).toEqual(first);
    expect(first.low).toBeLessThanOrEqual(first.high);

    // The same draws, done by hand with the same generator.
    const draws = seededRandom(0x5eed);
    const ratios = Array.from({ length: 1000 }, () => {
      const picked = Array.from({ length: 20 }, () => Math.floor(draws() * 20));
      const pool = (blocks: number[][]) => picked.flatMap((index) => blocks[index] as number[]);
      return percentile(pool(subject), 99) / percentile(pool(floor), 99);
    }).sort((a, b) => a - b);
    expect(first.low).toBe(ratios[24]);
    expect(first.high).toBe(ratios[974]);
    expect(first.ratio).toBe(percentile(subject.flat(), 99) / percentile(floor.flat(), 99));
  });

  it("unpaired samples are drawn independently on each side; paired ones must match in number", () => {
    const interval = bootstrapRatio([[1], [2], [3]], [[1], [1]], { percentile: 50, resamples: 200 });
    expect(interval.blocks).toBe(3);
    expect(interval.low).toBeGreaterThanOrEqual(1);
    expect(interval.high).toBeLessThanOrEqual(3);
    expect(() => bootstrapRatio([[1], [2]], [[1]], { paired: true })).toThrow(/differ in number/);
  });

  it("cuts samples into consecutive blocks", () => {
    expect(blocksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
