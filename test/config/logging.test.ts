import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrub } from '../../config/logging';

// R-O7: whatever a caller hands the logger, names, ID numbers, card numbers and incomes leave it masked.

const ID = '140802196503120012';
const CARD = '6222021234567890123';

function captured() {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk, _e, done) {
      out.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('debug', 'test', stream), text: () => out.join('') };
}

describe('the redacting logger', () => {
  it('R-O7: personal fields at any usual depth, request bodies and authorization headers are redacted', () => {
    const { log, text } = captured();
    log.info(
      {
        req: {
          method: 'POST',
          url: '/v1/applications',
          body: { name: '张三' },
          headers: { authorization: 'Bearer x' },
        },
        household: { members: [{ name: '张三', idNumber: ID }] },
        line: { cardNumber: CARD, name: '李四', monthlyIncome: '300.00' },
        input: { caseId: 'C1', members: [{ idNumber: ID }] },
        result: { entry: { perCapitaIncome: '120.00', idNumber: ID } },
      },
      'a line',
    );
    for (const secret of [ID, CARD, '张三', '李四', '300.00', '120.00', 'Bearer x'])
      expect(text()).not.toContain(secret);
    expect(text()).toContain('a line');
  });

  it('R-O7: ID and card numbers inside messages and errors are masked', () => {
    const { log, text } = captured();
    log.warn({ err: new Error(`member ${ID} already enrolled`) }, `refused ${ID}, card ${CARD}`);
    expect(text()).not.toContain(ID);
    expect(text()).not.toContain(CARD);
    expect(scrub(`a ${ID} b`)).toBe('a [id] b');
    expect(scrub('case 2026-01 amount 1000.00 county 140802')).toBe(
      'case 2026-01 amount 1000.00 county 140802',
    );
  });
});
