// Shared by the supervisor's page scripts: the kinds' names and small DOM builders. Everything
// the API returns goes into the page as text (textContent), never as HTML.

export const KINDS = {
  application: '申请审核',
  death_review: '死亡核查',
  re_review: '定期复核',
  data_check: '数据比对核查',
  change_review: '变化核查',
  payroll: '资金发放',
  spot_check: '抽查复核',
  complaint: '投诉举报',
  household_visit: '入户走访',
  temporary_documentation: '临时救助补充说明',
};
export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, String(v));
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

export function table(headers, rows) {
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
    el(
      'tbody',
      {},
      ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c === undefined ? '' : String(c))))),
    ),
  );
}
export const yes = (b) => (b ? '是' : '');
