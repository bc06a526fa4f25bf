import { describe, expect, it } from 'vitest';
import { openAnswer, sealAnswer } from '../../api/sealed-answer';
import { parsePayloadKeys } from '../../codec/payload-codec';

// R-O7: a replayed answer (idempotency_keys.response) is kept sealed with the payload keys, bound to
// its caller and Idempotency-Key; answers stored before sealing replay as they were.

const k1 = Buffer.alloc(32, 1).toString('base64');
const k2 = Buffer.alloc(32, 2).toString('base64');
const keys = { PAYLOAD_KEYS: parsePayloadKeys(`p1:${k1}`), PAYLOAD_KEY_ID: 'p1' };
const answer = { householdId: 'H-k1-ab', members: [{ name: '张三', idNumber: '140802196503120077' }] };

describe('sealed replayed answers (R-O7)', () => {
  it('R-O7: the stored answer holds neither the name nor the ID number, and opens to the same answer', () => {
    const sealed = sealAnswer(keys, 'clerk-1', 'key-1', answer);
    const stored = JSON.stringify(sealed);
    expect(stored).not.toContain('140802196503120077');
    expect(stored).not.toContain('张三');
    expect(sealed.keyId).toBe('p1');
    expect(openAnswer(keys, 'clerk-1', 'key-1', JSON.parse(stored))).toEqual(answer);
  });

  it('R-O7: a sealed answer copied to another caller or key does not open', () => {
    const sealed = sealAnswer(keys, 'clerk-1', 'key-1', answer);
    expect(() => openAnswer(keys, 'clerk-2', 'key-1', sealed)).toThrow();
    expect(() => openAnswer(keys, 'clerk-1', 'key-2', sealed)).toThrow();
  });

  it('R-O7: after a rotation the retired key still opens; a removed key is an error, not a wrong answer', () => {
    const sealed = sealAnswer(keys, 'clerk-1', 'key-1', answer);
    const rotated = { PAYLOAD_KEYS: parsePayloadKeys(`p1:${k1},p2:${k2}`), PAYLOAD_KEY_ID: 'p2' };
    expect(openAnswer(rotated, 'clerk-1', 'key-1', sealed)).toEqual(answer);
    const removed = { PAYLOAD_KEYS: parsePayloadKeys(`p2:${k2}`), PAYLOAD_KEY_ID: 'p2' };
    expect(() => openAnswer(removed, 'clerk-1', 'key-1', sealed)).toThrow(/unknown key p1/);
  });

  it('R-O7: an answer stored before sealing replays as it was', () => {
    expect(openAnswer(keys, 'clerk-1', 'key-1', answer)).toEqual(answer);
    expect(openAnswer(keys, 'clerk-1', 'key-1', null)).toBeNull();
  });
});
