import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { compare, mul } from './money';

// R-O2: the county's spot-check draw of township decisions. Pure and reproducible: the same
// population (in its stable order), ratios and seed give the same draw, so anyone holding the
// recorded round can recompute it. Sizes are ceil(ratio × n) per stratum: close-relative cases at
// the higher of the two ratios, the rest at the decision ratio, so the whole draw is at least the
// decision ratio of all decisions (ceil a + ceil b ≥ ceil(a + b)), rejections included.

export interface SampleUnit {
  /** Stable key (the application id); the population is drawn in this key's order. */
  key: string;
  closeRelative: boolean;
}

export interface SampleRatios {
  /** R-O2: share of all township decisions (default 0.3). */
  decisionRatio: string;
  /** R-O2: share of close-relative cases (default 0.6). */
  closeRelativeRatio: string;
}

export interface Draw {
  /** Keys drawn, in key order. */
  drawn: string[];
  strata: { stratum: 'close_relative' | 'other'; size: number; sampled: number }[];
}

/** ceil(ratio × n) with exact decimals (0.3 × 10 is 3, not 3.0000000000000004 → 4). */
export function sampleSize(ratio: string, n: number): number {
  const [whole, fraction = ''] = mul(ratio, n).split('.');
  return Math.min(n, Number(whole) + (/[1-9]/.test(fraction) ? 1 : 0));
}

/** The seed as a generator: four 32-bit words from the first 128 bits of a hex digest. */
function generatorOf(seedHex: string) {
  if (!/^[0-9a-f]{32,}$/.test(seedHex)) throw new RangeError('seed must be at least 32 hex digits');
  const words: number[] = [0, 8, 16, 24].map((i) => Number.parseInt(seedHex.slice(i, i + 8), 16) | 0);
  // xoroshiro's all-zero state is fixed; a digest never gives it, a hand-made seed might.
  if (!words.some((w) => w !== 0)) words[0] = 1;
  return xoroshiro128plusFromState(words);
}

/** The first `k` of a seeded Fisher–Yates shuffle of `keys` (uniform k-subset). */
function pick(keys: string[], k: number, rng: ReturnType<typeof generatorOf>): string[] {
  const a = [...keys];
  for (let i = 0; i < k; i++) {
    const j = uniformInt(rng, i, a.length - 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

/** R-O2: the draw for one county and month from its recorded seed. */
export function drawSpotChecks(
  population: readonly SampleUnit[],
  ratios: SampleRatios,
  seedHex: string,
): Draw {
  const sorted = [...population].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (new Set(sorted.map((u) => u.key)).size !== sorted.length)
    throw new RangeError('population keys must be unique');
  const { decisionRatio: d, closeRelativeRatio: c } = ratios;
  const crRatio = compare(c, d) >= 0 ? c : d;
  const close = sorted.filter((u) => u.closeRelative).map((u) => u.key);
  const other = sorted.filter((u) => !u.closeRelative).map((u) => u.key);
  const rng = generatorOf(seedHex);
  // Strata in a fixed order from one generator: the draw depends on nothing else.
  const closeDrawn = pick(close, sampleSize(crRatio, close.length), rng);
  const otherDrawn = pick(other, sampleSize(ratios.decisionRatio, other.length), rng);
  return {
    drawn: [...closeDrawn, ...otherDrawn].sort(),
    strata: [
      { stratum: 'close_relative', size: close.length, sampled: closeDrawn.length },
      { stratum: 'other', size: other.length, sampled: otherDrawn.length },
    ],
  };
}
