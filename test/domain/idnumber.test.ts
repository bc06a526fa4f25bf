import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ageOn, checkCharacter, makeIdNumber, validateIdNumber } from '../../domain/idnumber';
import { idNumberSchema, idNumberSchemaAsOf } from '../../domain/idnumber-schema';

const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const region = fc.constantFrom('110105', '140802', '140102', '410802', '440524', '650102');
const seq = fc.integer({ min: 0, max: 999 });

describe('GB 11643-1999 ID numbers', () => {
  test('R-A1: the public example 11010519491231002X is valid (check character X)', () => {
    expect(validateIdNumber('11010519491231002X')).toEqual({
      ok: true,
      birthDate: '1949-12-31',
      sex: 'female',
      region: '110105',
    });
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(makeIdNumber('110105', '1949-12-31', '002')).toBe('11010519491231002X');
  });

  test('R-A1: computed examples check out, and the sequence parity gives the sex', () => {
    expect(makeIdNumber('140802', '1990-05-17', 123)).toBe('140802199005171238');
    expect(validateIdNumber('140802199005171238')).toMatchObject({ ok: true, sex: 'male' });
    expect(makeIdNumber('440524', '1880-01-01', '001')).toBe('440524188001010014');
  });

  test('R-A1: each failure has its own reason', () => {
    expect(validateIdNumber('11010519491231002x')).toEqual({ ok: false, reason: 'format' });
    expect(validateIdNumber('1101051949123100')).toEqual({ ok: false, reason: 'format' });
    expect(validateIdNumber('11010519491231002XX')).toEqual({ ok: false, reason: 'format' });
    expect(validateIdNumber('990105194912310020')).toEqual({ ok: false, reason: 'region' });
    expect(validateIdNumber('110105194902300020')).toEqual({ ok: false, reason: 'birth_date' });
    expect(validateIdNumber(makeIdNumber('110105', '1700-01-01', 2))).toEqual({
      ok: false,
      reason: 'birth_date',
    });
    expect(validateIdNumber('110105194912310021')).toEqual({ ok: false, reason: 'check_digit' });
    const child = makeIdNumber('140802', '2024-06-02', 11);
    expect(validateIdNumber(child, '2024-06-01')).toEqual({ ok: false, reason: 'future_birth_date' });
    expect(validateIdNumber(child, '2024-06-02')).toMatchObject({ ok: true });
  });

  test('R-A1: a leap-day birth date is valid only in a leap year', () => {
    expect(validateIdNumber(makeIdNumber('140802', '2000-02-29', 5)).ok).toBe(true);
    expect(
      validateIdNumber(`${'140802190002290051'.slice(0, 17)}${checkCharacter('14080219000229005')}`).ok,
    ).toBe(false);
  });

  test('R-A1: the zod schema refines with the same rules', () => {
    expect(idNumberSchema.safeParse('11010519491231002X').success).toBe(true);
    const bad = idNumberSchema.safeParse('110105194912310021');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/check digit/);
    expect(idNumberSchemaAsOf('1949-12-30').safeParse('11010519491231002X').success).toBe(false);
  });

  test.prop([region, birthDate, seq])('R-A1: makeIdNumber always yields a valid number', (r, b, s) => {
    const id = makeIdNumber(r, b, s);
    expect(validateIdNumber(id, b)).toEqual({
      ok: true,
      birthDate: b,
      sex: s % 2 ? 'male' : 'female',
      region: r,
    });
  });

  test.prop([region, birthDate, seq, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 })])(
    'R-A1: MOD 11-2 catches every single-character substitution',
    (r, b, s, position, shift) => {
      const id = makeIdNumber(r, b, s);
      const alphabet = position === 17 ? '0123456789X' : '0123456789';
      const was = alphabet.indexOf(id[position] ?? '');
      const changed = alphabet[(was + shift) % alphabet.length] ?? '';
      const typo = `${id.slice(0, position)}${changed}${id.slice(position + 1)}`;
      expect(validateIdNumber(typo).ok).toBe(false);
    },
  );

  test('R-E4: ageOn counts whole years; a 29 February birthday turns on 1 March', () => {
    expect(ageOn('2006-06-01', '2024-05-31')).toBe(17);
    expect(ageOn('2006-06-01', '2024-06-01')).toBe(18);
    expect(ageOn('2004-02-29', '2022-02-28')).toBe(17);
    expect(ageOn('2004-02-29', '2022-03-01')).toBe(18);
  });
});
