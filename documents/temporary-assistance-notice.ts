import type { NoticeFacts } from '../db/repositories/notice-documents';
import type { Notice } from '../db/repositories/notices';
import { civilDateOf } from '../domain/dates';
import { maskIdNumber } from '../domain/idnumber';
import type { NoticePlace, NoticeText } from './notice-types';
import { zhDate } from './zh';

// R-A10: the written decision on a request for temporary assistance (临时救助), granted or refused,
// in Chinese. A grant the township decided within its reserve fund is issued by the township's
// government (or street office), a county decision by the county civil-affairs bureau. The notice
// cites the regulations it applies, the amount and how it is paid, and the route of appeal.

const HARDSHIP_ZH: Record<string, string> = {
  illness: '突发重大疾病',
  accident: '意外事故',
  disaster: '自然灾害',
  public_emergency: '突发公共事件',
  uninsured_unemployment: '失业且未参加失业保险、连续三个月无收入来源',
};

const LAW =
  '《社会救助暂行办法》第四十七条至第五十条、《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）';

const yuan = (amount: unknown) => `${String(amount)}元`;

/** A township's government, or a street office (街道办事处), as it signs a decision. */
export const townshipAuthority = (name: string) =>
  name.endsWith('街道') ? `${name}办事处` : `${name}人民政府`;

export function temporaryAssistanceNoticeText(
  notice: Notice,
  facts: NoticeFacts,
  place: NoticePlace,
): NoticeText {
  const granted = notice.kind === 'temporary_assistance_grant';
  const details = notice.details ?? {};
  const byTownship = details.level === 'township' && place.township !== undefined;
  const issuer = byTownship ? townshipAuthority(place.township!) : `${place.county}民政局`;
  const hardship = HARDSHIP_ZH[facts.hardshipKind ?? ''] ?? '突发性、紧迫性困难';
  const head = facts.head?.name ?? notice.addressee;
  const particulars: [string, string][] = [['困难情形', hardship]];
  if (facts.amountAsked) particulars.push(['申请救助金额', yuan(facts.amountAsked)]);
  if (granted) {
    particulars.push(
      ['临时救助金额', yuan(details.amount)],
      ['发放方式', '一次性发放，通过银行代发至本人账户'],
    );
    if (byTownship) particulars.push(['资金来源', '乡镇（街道）临时救助备用金，先行救助、事后补充说明']);
  }
  particulars.push(['决定机关', issuer]);
  return {
    issuer,
    title: granted ? '临时救助决定书' : '不予临时救助决定书',
    number: notice.noticeId,
    salutation: `${head}（户）：`,
    household: [
      ['申请人', head],
      ['公民身份号码', facts.head ? maskIdNumber(facts.head.idNumber) : '（未记录）'],
      ['困难发生地', place.village],
      ['救助项目', '临时救助'],
    ],
    decision: granted
      ? `你（户）因${hardship}导致基本生活陷入困境，经审核，符合临时救助条件，本机关决定给予临时救助金${yuan(details.amount)}，一次性发放。`
      : '经审核，你（户）的临时救助申请不符合条件，本机关决定不予救助。',
    reasons: notice.reasons,
    particulars,
    basis: `依据${LAW}及本县（市、区）临时救助实施办法。`,
    appeal:
      `如对本决定不服，可以自收到本决定书之日起60日内向${place.countyShort}人民政府申请行政复议，` +
      '或者自收到本决定书之日起6个月内依法向人民法院提起行政诉讼。',
    date: `${zhDate(notice.decidedOn)}决定　${zhDate(civilDateOf(new Date(notice.issuedAt)))}印发`,
  };
}
