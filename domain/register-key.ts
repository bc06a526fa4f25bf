import { createHash } from 'node:crypto';
import { type IdKeys, keyedDigest } from './keyed-id';

// R-L1 / R-O7: a register entry's key is opaque — no ID number or name in a workflow id, and
// nothing from which one can be recovered. It derives from the county and the ID number of the
// person who first brought the household to the register (the applicant, or the head staff named),
// so two finders of the same household meet in one entry even before either has written a row —
// by a keyed HMAC (domain/keyed-id.ts), `H-<key id>-<32 hex>`, so the id records which key made it.
// Node only (node:crypto): never imported by workflows.
export function householdKey(k: IdKeys, countyCode: string, idNumber: string): string {
  const { keyId, hex } = keyedDigest(k, 'register', countyCode, idNumber);
  return `H-${keyId}-${hex.slice(0, 32)}`;
}

/** A key as the routes accept it. */
export const HOUSEHOLD_KEY_PATTERN = /^H-[A-Za-z0-9]{1,16}-[0-9a-f]{32}$/;

/**
 * The key of before keyed ids: a plain sha256, reversible by trying every birth date and serial.
 * Only the re-keying of the entries made then (clients/register-rekey.ts) computes it, to find
 * which member's ID number an old entry was named after; no route accepts it.
 */
export function legacyHouseholdKey(countyCode: string, idNumber: string): string {
  return `H${createHash('sha256').update(`register\u0000${countyCode}\u0000${idNumber}`).digest('hex').slice(0, 24)}`;
}
export const LEGACY_HOUSEHOLD_KEY_PATTERN = /^H[0-9a-f]{24}$/;
