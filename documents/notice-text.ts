import type { NoticeFacts } from '../db/repositories/notice-documents';
import type { Notice } from '../db/repositories/notices';
import { civilDateOf } from '../domain/dates';
import { maskIdNumber } from '../domain/idnumber';
import { appealRoute, legalBasis } from './notice-basis';
import { CLOSE_REASON, citizenReasons } from './notice-reasons';
import { PROGRAMME_ZH, zhDate, zhMonth } from './zh';

// The wording of a written notice (R-A7, R-M9, R-M10), in Chinese, as structured text that
// notice-pdf.ts lays out. Known kinds get their own title and decision; any other kind a workflow
// records is printed generically from the notice's own fields. Every notice names the issuer (the
// county civil-affairs bureau), the household's head with the ID number masked (R-O7), the decision,
// its reasons (notice-reasons.ts), the regulation and article it applies (notice-basis.ts), the
// amounts and months concerned, the date and the route of appeal.

export interface NoticeText {
  issuer: string;
  title: string;
  number: string;
  salutation: string;
  household: [label: string, value: string][];
  decision: string;
  reasons: string;
  particulars: [label: string, value: string][];
  basis: string;
  appeal: string;
  date: string;
}

export interface NoticePlace {
  /** e.g. 运城市盐湖区 — the county with its city, or the county code when unknown. */
  county: string;
  /** e.g. 盐湖区 — how the county names its own bureau and government. */
  countyShort: string;
  /** e.g. 山西省运城市盐湖区龙居镇长乐村委会. */
  village: string;
}

const yuan = (amount: string) => `${amount}元`;
// A reduction's recorded reasons end with the rate change in the workflow's own words
// (workflows/case/ledger.ts); the notice states it in the particulars instead.
const RATE_SUFFIX = / \(from \d{4}-\d{2}: [\d.]+ → [\d.]+\)$/;

/** Per kind: the title and the decision sentence (the basis: notice-basis.ts). */
const KINDS: Record<string, { title: string; decision(p: string, f: NoticeFacts): string }> = {
  rejection: {
    title: '不予批准通知书',
    decision: (p) => `经审核，你（户）的${p}申请不符合条件，本机关决定不予批准。`,
  },
  stop: {
    title: '停止保障通知书',
    decision: (p, f) =>
      `经审核，本机关决定${f.closedFromMonth ? `自${zhMonth(f.closedFromMonth)}起` : ''}停止你户的${p}，停发相应保障金。`,
  },
  reduction: {
    title: '减发保障金通知书',
    decision: (p, f) =>
      f.rate
        ? `经审核，本机关决定自${zhMonth(f.rate.fromMonth)}起将你户${p}月保障金${f.rate.previous ? `由${yuan(f.rate.previous)}` : ''}调整为${yuan(f.rate.amount)}。`
        : `经审核，本机关决定减少你户的${p}保障金。`,
  },
  suspension: {
    title: '暂停发放通知书',
    decision: (p, f) =>
      `经审核，本机关决定${f.rate ? `自${zhMonth(f.rate.fromMonth)}起` : ''}暂停发放你户的${p}保障金，核查结束后恢复发放或另行决定。`,
  },
  repayment_demand: {
    title: '责令退回通知书',
    decision: (p) => `经审核，你户多领取的${p}保障金不能从以后的发放中抵扣，本机关责令你户予以退回。`,
  },
};

const DETAIL_LABELS: Record<string, string> = { demandId: '退回编号', amount: '金额', months: '涉及月份' };
const isMonth = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}$/.test(v);

/**
 * What the notice recorded in figures (`details`; R-M10: demandId, amount, months), each field a
 * line: known fields in Chinese, any other under its own name, so a new kind prints what it records.
 */
function detailLines(notice: Notice): [string, string][] {
  return Object.entries(notice.details ?? {}).map(([key, value]) => {
    const label =
      key === 'amount' && notice.kind === 'repayment_demand' ? '责令退回金额' : (DETAIL_LABELS[key] ?? key);
    if (key === 'amount' && typeof value === 'string') return [label, yuan(value)];
    if (Array.isArray(value))
      return [label, value.map((v) => (isMonth(v) ? zhMonth(v) : String(v))).join('、')];
    return [label, typeof value === 'object' ? JSON.stringify(value) : String(value)];
  });
}

/** The whole text of one notice. `facts` come from the read models; `place` from region-names. */
export function noticeText(notice: Notice, facts: NoticeFacts, place: NoticePlace): NoticeText {
  const programme = PROGRAMME_ZH[facts.category ?? ''] ?? '社会救助';
  const kind = KINDS[notice.kind];
  const issuer = `${place.county}民政局`;
  const household: [string, string][] = [
    ['户主（申请人）', facts.head?.name ?? notice.addressee],
    ['公民身份号码', facts.head ? maskIdNumber(facts.head.idNumber) : '（未记录）'],
    ['住址', place.village],
    ['保障项目', programme],
  ];
  const particulars: [string, string][] = [];
  if (facts.rate && notice.kind !== 'rejection') {
    if (facts.rate.previous) particulars.push(['原月保障金', yuan(facts.rate.previous)]);
    particulars.push(
      ['调整后月保障金', yuan(facts.rate.amount)],
      ['执行月份', `自${zhMonth(facts.rate.fromMonth)}起`],
    );
  }
  if (notice.kind === 'stop' && facts.closedFromMonth) {
    particulars.push(['停发月份', `自${zhMonth(facts.closedFromMonth)}起`]);
    if (facts.closedReason)
      particulars.push(['停止原因', CLOSE_REASON[facts.closedReason] ?? facts.closedReason]);
  }
  for (const a of facts.adjustments) {
    const months = a.months.map(zhMonth).join('、');
    particulars.push(
      a.kind === 'recovery'
        ? ['应退回（从以后发放中抵扣）', `${yuan(a.amount)}（${months}）`]
        : ['应补发', `${yuan(a.amount)}（${months}）`],
    );
  }
  particulars.push(...detailLines(notice));
  if (notice.dueOn) particulars.push(['书面告知期限', zhDate(notice.dueOn)]);
  if (particulars.length === 0) particulars.push(['涉及金额', '无']);

  return {
    issuer,
    title: kind ? `${programme}${kind.title}` : `${programme}书面通知（${notice.kind}）`,
    number: notice.noticeId,
    salutation: `${facts.head?.name ?? notice.addressee}（户）：`,
    household,
    decision: kind
      ? kind.decision(programme, facts)
      : `经审核，本机关于${zhDate(notice.decidedOn)}对你户的${programme}作出决定（${notice.kind}），理由如下。`,
    reasons: citizenReasons(notice.reasons.replace(RATE_SUFFIX, '')),
    particulars,
    basis: `${legalBasis(notice.kind, facts.category, facts.closedReason, place.county)}参数版本：${notice.parameterVersion ?? '—'}。`,
    appeal: appealRoute(place.countyShort),
    date: `${zhDate(notice.decidedOn)}决定　${zhDate(civilDateOf(new Date(notice.issuedAt)))}印发`,
  };
}
