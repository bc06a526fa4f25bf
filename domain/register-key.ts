import { createHash } from 'node:crypto';

// R-L1 / R-O7: a register entry's key is opaque — no ID number or name in a workflow id. It derives
// from the county and the ID number of the person who first brought the household to the register
// (the applicant, or the head staff named), so two finders of the same household meet in one entry
// even before either has written a row. Node only (node:crypto): never imported by workflows.
export function householdKey(countyCode: string, idNumber: string): string {
  return `H${createHash('sha256').update(`register\u0000${countyCode}\u0000${idNumber}`).digest('hex').slice(0, 24)}`;
}

/** A key as the routes accept it. */
export const HOUSEHOLD_KEY_PATTERN = /^H[0-9a-f]{24}$/;
