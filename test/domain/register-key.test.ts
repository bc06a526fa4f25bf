import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCharacter } from '../../domain/idnumber';
import { keyedDigests } from '../../domain/keyed-id';
import {
  HOUSEHOLD_KEY_PATTERN,
  householdKey,
  LEGACY_HOUSEHOLD_KEY_PATTERN,
  legacyHouseholdKey,
} from '../../domain/register-key';

// R-O7: a register workflow id `register:<county>:<key>` is seen by anyone who can list workflows
// (the Temporal UI, its CLI, visibility): nothing in it may give the ID number back. The attack:
// the county is in the id, an ID number's region is usually that county, its birth date lies in a
// few decades and its serial in 000–999 — so try them all through the published algorithm (and the
// development key every checkout holds). Here a month of birth dates: 31,000 candidates.

const COUNTY = '140802';
const VICTIM = (() => {
  const first17 = `${COUNTY}19850117042`;
  return first17 + checkCharacter(first17);
})();
const DEV_ID_KEY = Buffer.from('dibao-dev-only-id-hmac-key-00001');

/** Every ID number of the county born in January 1985. */
function* candidates(): Generator<string> {
  for (let day = 1; day <= 31; day++)
    for (let serial = 0; serial < 1000; serial++) {
      const first17 = `${COUNTY}198501${String(day).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
      yield first17 + checkCharacter(first17);
    }
}

/** What an attacker can compute for a candidate: the plain hash, and the HMAC with the public dev key. */
const attackerKeys = (id: string) => {
  const hex = createHash('sha256').update(`register\u0000${COUNTY}\u0000${id}`).digest('hex');
  const dev = createHmac('sha256', DEV_ID_KEY).update(['register', COUNTY, id].join('\u0000')).digest('hex');
  return [`H${hex.slice(0, 24)}`, `H-dev1-${dev.slice(0, 32)}`];
};

function bruteForce(seen: string): string | undefined {
  for (const id of candidates()) if (attackerKeys(id).includes(seen)) return id;
  return undefined;
}

describe('register keys cannot be reversed (R-O7)', () => {
  it('R-O7: the plain-hash key of before is reversed by a month of birth dates', () => {
    const seen = legacyHouseholdKey(COUNTY, VICTIM);
    expect(seen).toMatch(LEGACY_HOUSEHOLD_KEY_PATTERN);
    expect(bruteForce(seen)).toBe(VICTIM);
  });

  it('R-O7: the keyed key (a deployment secret) is not found by the same brute force', () => {
    const k = { keys: new Map([['p7', randomBytes(32)]]), currentKeyId: 'p7' };
    const seen = householdKey(k, COUNTY, VICTIM);
    expect(seen).toMatch(HOUSEHOLD_KEY_PATTERN);
    expect(seen.startsWith('H-p7-')).toBe(true); // the id records which key made it
    expect(bruteForce(seen)).toBeUndefined();
  });

  it('R-L1: the same county and person give the same key (two finders meet); rotation tries every key', () => {
    const old = randomBytes(32);
    const k1 = { keys: new Map([['a1', old]]), currentKeyId: 'a1' };
    const k2 = {
      keys: new Map([
        ['a1', old],
        ['b2', randomBytes(32)],
      ]),
      currentKeyId: 'b2',
    };
    expect(householdKey(k1, COUNTY, VICTIM)).toBe(householdKey(k1, COUNTY, VICTIM));
    expect(householdKey(k2, COUNTY, VICTIM)).not.toBe(householdKey(k1, COUNTY, VICTIM));
    expect(keyedDigests(k2, 'x', 'y').map((d) => d.keyId)).toEqual(['b2', 'a1']);
    expect(householdKey(k1, '140881', VICTIM)).not.toBe(householdKey(k1, COUNTY, VICTIM));
  });
});
