import { $, el } from './dom.js';
import { CASE_STATUS, CATEGORY, STAGES, zh } from './zh.js';

// The drill-down from a township to the window's lists (API.md "Applications", "Cases in
// benefit"): its open applications and its cases, a page at a time by the lists' cursors, and its
// roster (花名册) as a CSV download — read with the page's `api` (the token as Authorization header).

const PAGE = 20;
const state = { township: '', paging: {} };

function listTable(target, headers, rows) {
  $(target).replaceChildren(
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
        el('tbody', {}, ...rows),
      ),
    ),
  );
}

const applicationRow = (a) =>
  el(
    'tr',
    { 'data-id': a.applicationId },
    el('td', {}, a.applicationId),
    el('td', {}, a.applicantName ?? '—'),
    el('td', {}, a.villageCode),
    el('td', {}, zh(CATEGORY, a.category)),
    el('td', { title: a.stage }, zh(STAGES, a.stage)),
    el('td', {}, a.acceptedOn),
    el(
      'td',
      { class: a.overdue ? 'overdue' : a.atRisk ? 'at-risk' : '' },
      `${a.overallDeadline ?? '—'}${a.overdue ? '（逾期）' : a.atRisk ? '（临期）' : ''}`,
    ),
  );

const caseRow = (c) =>
  el(
    'tr',
    { 'data-id': c.caseId },
    el('td', {}, c.caseId),
    el('td', {}, c.headName ?? '—'),
    el('td', {}, c.villageCode),
    el('td', {}, zh(CATEGORY, c.category)),
    el('td', { title: c.status }, zh(CASE_STATUS, c.status)),
    el('td', { class: 'num' }, String(c.persons)),
    el('td', { class: 'num' }, c.monthlyAmount),
    el('td', {}, c.nextReviewOn ?? '—'),
  );

const LISTS = {
  applications: {
    path: (t) => `/v1/applications?township=${t}&stage=open&limit=${PAGE}`,
    target: 'list-applications',
    headers: ['申请编号', '申请人', '村（社区）', '类别', '阶段', '受理日期', '办结期限'],
    row: applicationRow,
  },
  cases: {
    path: (t) => `/v1/cases?township=${t}&limit=${PAGE}`,
    target: 'list-cases',
    headers: ['案件编号', '户主', '村（社区）', '类别', '状态', '人数', '月保障金（元）', '下次复核'],
    row: caseRow,
  },
};

async function loadList(name, api, cursor) {
  const list = LISTS[name];
  const url = list.path(state.township) + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
  const { status, body } = await api(url);
  if (status !== 200)
    return $(list.target).replaceChildren(el('p', { class: 'error' }, body?.detail ?? `错误 ${status}`));
  listTable(
    list.target,
    list.headers,
    body.items.length ? body.items.map(list.row) : [el('tr', {}, el('td', {}, '无'))],
  );
  state.paging[name] = body.nextCursor;
  $(`${list.target}-next`).disabled = !body.nextCursor;
}

/** The township's open applications and its cases; `name` is what the summary shows for it. */
export async function showTownship(code, name, api) {
  state.township = code;
  const box = $('lists');
  box.hidden = false;
  box.dataset.township = code;
  $('lists-title').textContent = name;
  await Promise.all([loadList('applications', api), loadList('cases', api)]);
  box.scrollIntoView({ block: 'start' });
}

/** The roster (花名册) of the township as a CSV file, fetched with the token and saved by the browser. */
async function downloadRoster(api) {
  const res = await api.raw(`/v1/cases?township=${state.township}&format=csv`);
  if (!res.ok) return;
  const link = el('a', {
    href: URL.createObjectURL(await res.blob()),
    download: `花名册-${state.township}.csv`,
  });
  link.click();
  URL.revokeObjectURL(link.href);
}

export function wireLists(api) {
  for (const name of Object.keys(LISTS))
    $(`${LISTS[name].target}-next`).addEventListener('click', () => {
      if (state.paging[name]) loadList(name, api, state.paging[name]).catch(() => {});
    });
  $('lists-close').addEventListener('click', () => {
    $('lists').hidden = true;
  });
  $('roster-csv').addEventListener('click', () => downloadRoster(api).catch(() => {}));
}
