import { zhDate, zhMonth } from './zh';

// A notice's reasons as the citizen reads them (R-A7, R-M9, R-M10). Staff write theirs in Chinese;
// the case workflow records its own decisions (a death, a taper's end, a demand) in a fixed English
// wording with the rulebook's ids, for staff and the audit trail. Here each such wording is stated in
// Chinese, and a rule id — recorded by the workflow or typed by staff — is left out: a notice cites
// the regulation (notice-basis.ts), never the rulebook.

export const CLOSE_REASON: Record<string, string> = {
  death: '保障对象死亡',
  taper_exit: '就业增收后渐退期满',
  review_stop: '复核后不再符合条件',
  check_stop: '核查后不再符合条件',
  fraud: '以虚报、隐瞒等手段骗取保障金',
  no_one_covered: '家庭已无保障成员',
  spot_check_reversed: '抽查后撤销原批准决定',
};

const D = '(\\d{4}-\\d{2}-\\d{2})';
const M = '(\\d{4}-\\d{2})';
const AMOUNT = '(\\d+(?:\\.\\d+)?)';
const months = (list: string) => list.split(/,\s*/).map(zhMonth).join('、');

/** The workflow's own wordings (workflows/case: deaths, death-recoveries, time, changes, imported, demands, standard). */
const WORDINGS: [RegExp, (...g: string[]) => string][] = [
  [
    new RegExp(
      `benefit received for months after the case ended \\((\\w+)\\), months (${M.slice(1, -1)}(?:, ${M.slice(1, -1)})*), ${AMOUNT} yuan; no later payment can offset it, so it is to be repaid\\.?`,
    ),
    (reason, list, amount) =>
      `保障停止（${CLOSE_REASON[reason!] ?? reason}）后仍领取了${months(list!)}的保障金共${amount}元，已无以后的发放可以抵扣，应予退回。`,
  ],
  [/\s*Grounds: /, () => '依据：'],
  [
    new RegExp(
      `extreme-poverty support is per person: the support of a person who died on ${D} ends from ${M}(?:: ${AMOUNT} → ${AMOUNT} a month, (\\d+) supported)?`,
    ),
    (died, from, before, after, persons) =>
      `特困人员救助供养金按人发放：供养对象于${zhDate(died!)}死亡，自${zhMonth(from!)}起停发其本人的供养金` +
      (before ? `；月供养金由${before}元调整为${after}元，现供养${persons}人` : ''),
  ],
  [
    new RegExp(
      `a death on ${D} reported after the case closed: what was paid for the deceased from ${M} until the closure in ${M} is recovered`,
    ),
    (died, from, until) =>
      `保障对象于${zhDate(died!)}死亡，在保障停止后才报告：自${zhMonth(from!)}起至${zhMonth(until!)}停止保障时为其发放的保障金予以追回`,
  ],
  [
    new RegExp(`the only recipient died on ${D}, before admission`),
    (died) => `唯一保障对象于${zhDate(died!)}死亡，早于批准保障之日`,
  ],
  [new RegExp(`recipient died on ${D}`), (died) => `保障对象于${zhDate(died!)}死亡`],
  [
    new RegExp(`income above the standard since ${D}; (\\d+) taper payments made`),
    (since, n) =>
      `自${zhDate(since!)}起家庭人均收入已高于当地最低生活保障标准，渐退期${n}个月的保障金已发放完毕`,
  ],
  [
    new RegExp(`employment lifts per-capita income to ${AMOUNT}(?:, above the standard ${AMOUNT})?`),
    (income, standard) =>
      `家庭成员就业后月人均收入增至${income}元，高于当地最低生活保障标准${standard ? `${standard}元` : ''}`,
  ],
  [
    new RegExp(`taper reported on ${D} ended before the import`),
    (on) => `${zhDate(on!)}报告就业增收，渐退期在转入本系统前已届满`,
  ],
  [/; /, () => '；'],
  [
    new RegExp(`(^|；|依据：)standard (\\S+?)(?: from ${M})?(?=；|$)`),
    (lead, version, from) => `${lead}保障标准调整（${version}）${from ? `，自${zhMonth(from)}起执行` : ''}`,
  ],
];

/** A rule id in brackets (with its neighbours) or on its own, as recorded or typed. */
const BRACKETED_IDS = /\s*[(（]\s*R-[A-Z]\d+(?:\s*[,，、]\s*R-[A-Z]\d+)*\s*[)）]/g;
const BARE_ID = /\s*\bR-[A-Z]\d+\b\s*/g;

function withoutRuleIds(text: string): string {
  return text
    .replace(BRACKETED_IDS, '')
    .replace(BARE_ID, (m, at: number, s: string) =>
      /[A-Za-z0-9]/.test(s[at - 1] ?? '') && /[A-Za-z0-9]/.test(s[at + m.length] ?? '') ? ' ' : '',
    );
}

/** The recorded reasons as the notice prints them. */
export function citizenReasons(recorded: string): string {
  let text = withoutRuleIds(recorded).trim();
  for (const [pattern, say] of WORDINGS) {
    const global = new RegExp(pattern.source, 'g');
    text = text.replace(global, (_m, ...groups) => say(...(groups.slice(0, -2) as string[])));
  }
  return text;
}
