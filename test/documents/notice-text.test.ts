import { describe, expect, it } from 'vitest';
import type { NoticeFacts } from '../../db/repositories/notice-documents';
import type { Notice } from '../../db/repositories/notices';
import { noticeText } from '../../documents/notice-text';

// R-A7, R-M9, R-M10: what a citizen's written notice cites as its legal basis and how it states
// the reasons the workflow recorded: the regulation and its article, never the rulebook's own ids.

const place = {
  county: '运城市盐湖区',
  countyShort: '盐湖区',
  village: '山西省运城市盐湖区龙居镇长乐村委会',
};
const notice = (over: Partial<Notice>): Notice => ({
  noticeId: 'N-1',
  kind: 'stop',
  subjectKind: 'case',
  subjectId: 'C1',
  villageCode: '140802101201',
  addressee: '张三',
  reasons: '核查后不再符合条件',
  decidedOn: '2026-03-02',
  decidedBy: 'county-1',
  dueOn: null,
  parameterVersion: null,
  details: null,
  issuedAt: '2026-03-02T08:00:00+08:00',
  ...over,
});
const facts = (over: Partial<NoticeFacts> = {}): NoticeFacts => ({
  category: 'dibao',
  head: { name: '张三', idNumber: '140802196503120018' },
  adjustments: [],
  ...over,
});
const whole = (t: ReturnType<typeof noticeText>) => JSON.stringify(t);
const RULE_ID = /R-[A-Z]\d/;

describe('a notice’s legal basis and reasons (R-A7, R-M9, R-M10)', () => {
  it('R-A7: a dibao rejection cites 《社会救助暂行办法》第十一条 and the approval rules, no rule id', () => {
    const t = noticeText(notice({ kind: 'rejection', subjectKind: 'application' }), facts(), place);
    expect(t.basis).toContain('《社会救助暂行办法》第十一条');
    expect(t.basis).toContain('《最低生活保障审核确认办法》');
    expect(t.basis).toContain('运城市盐湖区');
    expect(whole(t)).not.toMatch(RULE_ID);
  });

  it('R-A7: an extreme-poverty rejection cites articles 14 and 16 and 《特困人员认定办法》', () => {
    const t = noticeText(
      notice({ kind: 'rejection', subjectKind: 'application' }),
      facts({ category: 'extreme_poverty' }),
      place,
    );
    expect(t.basis).toContain('《社会救助暂行办法》第十四条、第十六条');
    expect(t.basis).toContain('《特困人员认定办法》');
    expect(whole(t)).not.toMatch(RULE_ID);
  });

  it('R-M9: a dibao stop, reduction or suspension cites article 13; an extreme-poverty stop article 18; fraud adds article 68', () => {
    for (const kind of ['stop', 'reduction', 'suspension']) {
      const t = noticeText(notice({ kind }), facts(), place);
      expect(t.basis).toContain('《社会救助暂行办法》第十三条');
      expect(whole(t)).not.toMatch(RULE_ID);
    }
    expect(noticeText(notice({}), facts({ category: 'extreme_poverty' }), place).basis).toContain(
      '《社会救助暂行办法》第十八条',
    );
    const fraud = noticeText(notice({}), facts({ closedReason: 'fraud', closedFromMonth: '2026-04' }), place);
    expect(fraud.basis).toContain('第十三条、第六十八条');
  });

  it('R-M10: a repayment demand cites the article of the programme, and article 68 after fraud', () => {
    const demand = notice({ kind: 'repayment_demand', details: { amount: '100.00', months: ['2026-01'] } });
    expect(noticeText(demand, facts({ closedReason: 'death' }), place).basis).toContain(
      '《社会救助暂行办法》第十三条',
    );
    expect(noticeText(demand, facts({ closedReason: 'fraud' }), place).basis).toContain('第六十八条');
  });

  it('R-M9: the appeal route cites article 65 of the regulation', () => {
    expect(noticeText(notice({}), facts(), place).appeal).toContain('《社会救助暂行办法》第六十五条');
  });

  it('R-M2, R-M3, R-E6: reasons the case recorded itself print in Chinese with dates and months, without rule ids', () => {
    const cases: [string, string][] = [
      ['recipient died on 2026-02-11 (R-M2)', '保障对象于2026年2月11日死亡'],
      [
        'the only recipient died on 2026-01-03, before admission (R-M2)',
        '唯一保障对象于2026年1月3日死亡，早于批准保障之日',
      ],
      [
        'income above the standard since 2025-08-04; 6 taper payments made (R-M3)',
        '自2025年8月4日起家庭人均收入已高于当地最低生活保障标准，渐退期6个月的保障金已发放完毕',
      ],
      [
        'employment lifts per-capita income to 1200.00, above the standard 800.00 (R-M3)',
        '家庭成员就业后月人均收入增至1200.00元，高于当地最低生活保障标准800.00元',
      ],
      [
        'extreme-poverty support is per person: the support of a person who died on 2026-02-11 ends from 2026-03 (R-E6, R-M2): 1800.00 → 900.00 a month, 1 supported',
        '特困人员救助供养金按人发放：供养对象于2026年2月11日死亡，自2026年3月起停发其本人的供养金；月供养金由1800.00元调整为900.00元，现供养1人',
      ],
    ];
    for (const [recorded, printed] of cases) {
      const t = noticeText(notice({ reasons: recorded }), facts(), place);
      expect(t.reasons).toBe(printed);
      expect(whole(t)).not.toMatch(RULE_ID);
    }
  });

  it('R-M10: a demand’s recorded reasons print in Chinese, each ground too', () => {
    const recorded =
      'benefit received for months after the case ended (death), months 2026-03, 2026-04, 1000.00 yuan; ' +
      'no later payment can offset it, so it is to be repaid (R-M10). Grounds: a death on 2026-02-11 ' +
      'reported after the case closed: what was paid for the deceased from 2026-03 until the closure in 2026-05 is recovered (R-M2, R-M10)';
    const t = noticeText(notice({ kind: 'repayment_demand', reasons: recorded }), facts(), place);
    expect(t.reasons).toBe(
      '保障停止（保障对象死亡）后仍领取了2026年3月、2026年4月的保障金共1000.00元，已无以后的发放可以抵扣，应予退回。' +
        '依据：保障对象于2026年2月11日死亡，在保障停止后才报告：自2026年3月起至2026年5月停止保障时为其发放的保障金予以追回',
    );
    expect(whole(t)).not.toMatch(RULE_ID);
  });

  it('R-M9: reasons staff wrote print as written; a rule id staff typed in them is left out', () => {
    const t = noticeText(notice({ reasons: '入户核查：家庭收入增加（R-M5）' }), facts(), place);
    expect(t.reasons).toBe('入户核查：家庭收入增加');
    expect(noticeText(notice({ reasons: '复核 R-M4 后不再符合条件' }), facts(), place).reasons).toBe(
      '复核后不再符合条件',
    );
  });
});
