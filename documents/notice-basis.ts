// The legal basis a citizen's written notice cites (R-A7, R-M9, R-M10): the State Council's
// 《社会救助暂行办法》 (2014, revised 2019) by article, the ministry's rules the provincial and
// municipal notices apply (《最低生活保障审核确认办法》, 《特困人员认定办法》), and the county's own
// implementing rules. The rulebook's ids are for staff and code, never printed on a notice.
//   第十一条  dibao: approval, or a refusal in writing with its reasons
//   第十三条  dibao: more, less or no money as the household's circumstances change
//   第十四条、第十六条  extreme-poverty support: who qualifies, how it is applied for and approved
//   第十八条  extreme-poverty support ends when its conditions are no longer met
//   第六十五条  review or lawsuit against the decision
//   第六十八条  money obtained by false statements or concealment: support stopped, money returned

const REGULATION = '《社会救助暂行办法》';
const RULES: Record<string, string> = {
  extreme_poverty: '《特困人员认定办法》',
};
const DIBAO_RULES = '《最低生活保障审核确认办法》';

const extremePoverty = (category: string | undefined) => category === 'extreme_poverty';

/** The articles of the regulation a decision of this kind applies. */
function articles(kind: string, category: string | undefined, closedReason: string | undefined): string[] {
  const ep = extremePoverty(category);
  const fraud = closedReason === 'fraud' ? ['第六十八条'] : [];
  switch (kind) {
    case 'rejection':
      return ep ? ['第十四条', '第十六条'] : ['第十一条'];
    case 'stop':
    case 'reduction':
    case 'suspension':
    case 'repayment_demand':
      return [ep ? '第十八条' : '第十三条', ...fraud];
    default:
      return ep ? ['第十八条'] : ['第十一条', '第十三条'];
  }
}

/** e.g. 依据《社会救助暂行办法》第十三条、《最低生活保障审核确认办法》及运城市盐湖区的有关实施规定. */
export function legalBasis(
  kind: string,
  category: string | undefined,
  closedReason: string | undefined,
  county: string,
): string {
  const rules = RULES[category ?? ''] ?? DIBAO_RULES;
  return `依据${REGULATION}${articles(kind, category, closedReason).join('、')}、${rules}及${county}的有关实施规定。`;
}

/** The route of appeal: reconsideration by the county government or a lawsuit (第六十五条). */
export function appealRoute(countyShort: string): string {
  return (
    `根据${REGULATION}第六十五条，如对本决定不服，可以自收到本通知书之日起60日内向${countyShort}人民政府申请行政复议，` +
    '或者自收到本通知书之日起6个月内依法向人民法院提起行政诉讼。'
  );
}
