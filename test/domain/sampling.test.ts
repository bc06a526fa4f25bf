import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { drawSpotChecks, type SampleUnit, sampleSize } from '../../domain/sampling';

const RATIOS = { decisionRatio: '0.3', closeRelativeRatio: '0.6' };
const seedOf = (i: number) => createHash('sha256').update(`140802|2026-03|${i}`).digest('hex');

/** 100 decisions, every fifth a close-relative case (keys in no particular order). */
const population: SampleUnit[] = Array.from({ length: 100 }, (_, i) => ({
  key: `A140802${String((i * 37) % 100).padStart(3, '0')}`,
  closeRelative: i % 5 === 0,
}));

describe('R-O2 spot-check draw', () => {
  it('R-O2: sample sizes are ceil(ratio × n) with exact decimals', () => {
    expect(sampleSize('0.3', 10)).toBe(3);
    expect(sampleSize('0.3', 11)).toBe(4);
    expect(sampleSize('0.6', 1)).toBe(1);
    expect(sampleSize('0.3', 0)).toBe(0);
    expect(sampleSize('1', 7)).toBe(7);
  });

  it('R-O2: at least 60% of close-relative cases and 30% of all decisions in every draw', () => {
    const d = drawSpotChecks(population, RATIOS, seedOf(1));
    const close = new Set(population.filter((u) => u.closeRelative).map((u) => u.key));
    expect(d.drawn.filter((k) => close.has(k)).length).toBe(12); // ceil(0.6 × 20)
    expect(d.drawn.length).toBe(12 + 24); // + ceil(0.3 × 80)
    expect(d.drawn.length / population.length).toBeGreaterThanOrEqual(0.3);
    expect(d.strata).toEqual([
      { stratum: 'close_relative', size: 20, sampled: 12 },
      { stratum: 'other', size: 80, sampled: 24 },
    ]);
  });

  it('R-O2: every decision is drawn at its stratum rate over many rounds (rates within tolerance)', () => {
    const rounds = 2000;
    const hits = new Map<string, number>();
    for (let i = 0; i < rounds; i++)
      for (const k of drawSpotChecks(population, RATIOS, seedOf(i)).drawn)
        hits.set(k, (hits.get(k) ?? 0) + 1);
    for (const u of population) {
      const rate = (hits.get(u.key) ?? 0) / rounds;
      // Binomial(2000, p): 5 standard deviations is about ±0.055 at p = 0.6, ±0.05 at p = 0.3.
      expect(Math.abs(rate - (u.closeRelative ? 0.6 : 0.3)), u.key).toBeLessThan(0.06);
    }
  });

  it('R-O2: the draw is recomputed from the recorded seed, whatever order the population is read in', () => {
    const seed = seedOf(42);
    const first = drawSpotChecks(population, RATIOS, seed);
    expect(drawSpotChecks([...population].reverse(), RATIOS, seed)).toEqual(first);
    expect(drawSpotChecks(population, RATIOS, seedOf(43)).drawn).not.toEqual(first.drawn);
  });

  test.prop([
    fc.uniqueArray(
      fc.record({ key: fc.string({ minLength: 1, maxLength: 8 }), closeRelative: fc.boolean() }),
      {
        selector: (u) => u.key,
        maxLength: 60,
      },
    ),
    fc.integer({ min: 0, max: 10 }),
    fc.integer({ min: 0, max: 10 }),
    fc.stringMatching(/^[0-9a-f]{64}$/),
  ])('R-O2: any population, ratios and seed: the floors hold and the draw is a subset', (pop, d, c, seed) => {
    const ratios = { decisionRatio: String(d / 10), closeRelativeRatio: String(c / 10) };
    const draw = drawSpotChecks(pop, ratios, seed);
    const keys = new Set(pop.map((u) => u.key));
    expect(draw.drawn.every((k) => keys.has(k))).toBe(true);
    expect(new Set(draw.drawn).size).toBe(draw.drawn.length);
    expect(draw.drawn.length).toBeGreaterThanOrEqual(Math.ceil((d / 10) * pop.length - 1e-9));
    const closeDrawn = draw.drawn.filter((k) => pop.find((u) => u.key === k)!.closeRelative).length;
    const closeAll = pop.filter((u) => u.closeRelative).length;
    expect(closeDrawn).toBeGreaterThanOrEqual(Math.ceil((Math.max(c, d) / 10) * closeAll - 1e-9));
    expect(drawSpotChecks(pop, ratios, seed)).toEqual(draw);
  });
});
