import { type CivilDate, isCivilDate } from './dates';
import { PROVINCE_CODES } from './region';

// GB 11643-1999 citizen identity number: 6-digit region (GB/T 2260), 8-digit birth date YYYYMMDD,
// 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check character (0-9 or X).
// R-A1 needs it to detect duplicates and a person already in an active case.

export type Sex = 'male' | 'female';
export type IdNumberFailure = 'format' | 'region' | 'birth_date' | 'future_birth_date' | 'check_digit';
export type IdNumberResult =
  | { ok: true; birthDate: CivilDate; sex: Sex; region: string }
  | { ok: false; reason: IdNumberFailure };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';
const FORMAT = /^\d{17}[\dX]$/;

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idnumber: 17 digits expected');
  let total = 0;
  for (let i = 0; i < 17; i++) total += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK[total % 11] ?? '';
}

/**
 * Validate an 18-character ID number. `today` (a civil date) enables the not-in-the-future check;
 * without it the function stays pure and date-free (workflows pass their own clock's date).
 */
export function validateIdNumber(id: string, today?: CivilDate): IdNumberResult {
  if (!FORMAT.test(id)) return { ok: false, reason: 'format' };
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return { ok: false, reason: 'region' };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birthDate < '1800-01-01' || !isCivilDate(birthDate)) return { ok: false, reason: 'birth_date' };
  // ISO civil dates compare correctly as strings.
  if (today !== undefined && birthDate > today) return { ok: false, reason: 'future_birth_date' };
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, reason: 'check_digit' };
  const sex: Sex = Number(id[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, birthDate, sex, region: id.slice(0, 6) };
}

/** Whole years of age on `onDate` (a 29 February birthday is reached on 1 March in common years). */
export function ageOn(birthDate: CivilDate, onDate: CivilDate): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** Test helper: a valid ID number for a region, birth date and 3-digit sequence. */
export function makeIdNumber(region6: string, birthDate: CivilDate, seq3: string | number): string {
  const seq = typeof seq3 === 'number' ? String(seq3).padStart(3, '0') : seq3;
  const first17 = `${region6}${birthDate.replaceAll('-', '')}${seq}`;
  return `${first17}${checkCharacter(first17)}`;
}

/**
 * An ID number as a printed notice shows it (R-O7): the 6-digit region and the last 4 characters,
 * the birth date and sequence hidden, e.g. 140802********123X.
 */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length < 10) return '*'.repeat(idNumber.length);
  return idNumber.slice(0, 6) + '*'.repeat(idNumber.length - 10) + idNumber.slice(-4);
}
