// The supervisor's page (R-O3, R-A6): reads only the API under /v1 with the supervisor's token,
// kept in this tab's sessionStorage and sent as the Authorization header (never in a URL).
// Everything the API returns is put into the page as text (textContent), never as HTML.

import { showDetail } from './detail.js';
import { $, el, KINDS, table } from './dom.js';
import { showTownship, wireLists } from './lists.js';
import { COMPLAINT_SOURCES, COMPLAINT_SUBJECTS, ROLES, STAGES, zh } from './zh.js';

const TOKEN_KEY = 'dibao.dashboard.token';
const PAGE_SIZE = 20;
const token = () => sessionStorage.getItem(TOKEN_KEY);

/** A GET of the API with the token; 401 ends the session. */
async function api(path) {
  const res = await fetch(path, {
    headers: { authorization: `Bearer ${token()}`, accept: 'application/json' },
  });
  if (res.status === 401) {
    logout('令牌无效或已过期，请重新登录。');
    throw new Error('401');
  }
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  return { status: res.status, body };
}
/** The same request answered as it came (a file to download). */
api.raw = (path) => fetch(path, { headers: { authorization: `Bearer ${token()}` } });

function claims(t) {
  try {
    return JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {};
  }
}

function logout(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  $('board').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

// ---- counts by township and kind (GET /v1/supervision/summary) ----
/** A township's name (or its code alone) as a button to its lists; a county's own row as text. */
function townshipCell(place, name) {
  if (!/^\d{9}$/.test(place)) return name;
  const button = el('button', { type: 'button', class: 'link', title: '查看该乡镇的申请和在保案件' }, name);
  button.addEventListener('click', () => showTownship(place, name, api).catch(() => {}));
  return button;
}

function renderSummary({ rows, totals }) {
  $('total-overdue').textContent = String(totals.overdue);
  $('total-at-risk').textContent = String(totals.atRisk);
  const placeOf = (r) => r.townshipCode ?? `${r.countyCode}（县级）`;
  const names = new Map(
    rows.map((r) => [
      placeOf(r),
      r.townshipCode
        ? `${r.townshipName ?? ''} ${r.townshipCode}`.trim()
        : `${r.countyName ?? r.countyCode}（县级）`,
    ]),
  );
  const places = [...new Set(rows.map(placeOf))].sort();
  const kinds = Object.keys(KINDS).filter((k) => rows.some((r) => r.kind === k));
  const head = $('summary').tHead;
  head.replaceChildren(
    el('tr', {}, el('th', {}, '乡镇'), ...kinds.map((k) => el('th', { class: 'num' }, KINDS[k]))),
  );
  const body = $('summary').tBodies[0];
  body.replaceChildren(
    ...places.map((place) =>
      el(
        'tr',
        {},
        el('td', { 'data-code': place }, townshipCell(place, names.get(place))),
        ...kinds.map((k) => {
          const r = rows.find((x) => x.kind === k && placeOf(x) === place);
          const cell = el('td', {
            class: 'num',
            'data-place': place,
            'data-kind': k,
            'data-overdue': r?.overdue ?? 0,
            'data-at-risk': r?.atRisk ?? 0,
          });
          if (r)
            cell.append(
              el('span', { class: 'overdue' }, `逾期 ${r.overdue}`),
              ' · ',
              el('span', { class: 'at-risk' }, `临期 ${r.atRisk}`),
            );
          else cell.textContent = '—';
          return cell;
        }),
      ),
    ),
  );
  const select = $('f-township');
  const chosen = select.value;
  select.replaceChildren(
    el('option', { value: '' }, '全部'),
    ...places.filter((p) => /^\d{9}$/.test(p)).map((p) => el('option', { value: p }, names.get(p))),
  );
  select.value = chosen;
}

// ---- SLA compliance by month (GET /v1/supervision/sla) ----
let slaChart;
function renderSla({ months }) {
  $('sla').tBodies[0].replaceChildren(
    ...months.map((m) =>
      el(
        'tr',
        { 'data-month': m.month, 'data-decided': m.decided, 'data-on-time': m.onTime },
        el('td', {}, m.month),
        el('td', { class: 'num' }, String(m.decided)),
        el('td', { class: 'num' }, String(m.onTime)),
        el('td', { class: 'num' }, m.share === null ? '—' : `${(m.share * 100).toFixed(1)}%`),
      ),
    ),
  );
  if (!window.Chart) return;
  slaChart?.destroy();
  slaChart = new window.Chart($('sla-chart'), {
    type: 'bar',
    data: {
      labels: months.map((m) => m.month),
      datasets: [
        {
          label: '按时办结率（%）',
          data: months.map((m) => (m.share === null ? null : m.share * 100)),
          backgroundColor: '#2f6f9f',
        },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
  });
}

// ---- the overdue list, by urgency, with cursor paging (GET /v1/supervision/overdue) ----
const paging = { cursors: [null], page: 0, next: null };
async function loadPage() {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE), flag: $('f-flag').value });
  if ($('f-township').value) q.set('township', $('f-township').value);
  if ($('f-kind').value) q.set('kind', $('f-kind').value);
  const cursor = paging.cursors[paging.page];
  if (cursor) q.set('cursor', cursor);
  const { status, body } = await api(`/v1/supervision/overdue?${q}`);
  if (status !== 200) return showError(body);
  paging.next = body.nextCursor;
  $('next-page').disabled = !body.nextCursor;
  $('page-no').textContent = `第 ${paging.page + 1} 页`;
  $('overdue').tBodies[0].replaceChildren(
    ...body.items.map((i) => {
      const row = el(
        'tr',
        { class: 'item', 'data-kind': i.kind, 'data-subject': i.subjectId, 'data-task': i.taskId ?? '' },
        el('td', { class: i.overdue ? 'overdue' : 'at-risk' }, i.overdue ? '逾期' : '临期'),
        el('td', {}, KINDS[i.kind] ?? i.kind),
        el('td', {}, i.taskId ? `${i.subjectId} / ${i.taskId}` : i.subjectId),
        el('td', { title: i.stage }, zh(STAGES, i.stage)),
        el('td', { 'data-code': i.townshipCode ?? '' }, i.townshipName ?? i.townshipCode ?? '—'),
        el('td', {}, i.villageCode ?? '—'),
        el('td', {}, i.dueOn + (i.provisional ? '（暂定）' : '')),
      );
      row.addEventListener('click', () => showDetail(i, api));
      return row;
    }),
  );
}

// ---- spot checks (R-O2) and complaints (R-O4): the columns a supervisor reads, "—" when unanswered ----
async function panel(path, target, pick, headers, line) {
  const box = $(target);
  const { status, body } = await api(path).catch(() => ({ status: 0, body: null }));
  if (status !== 200 || !body) return box.replaceChildren('—');
  const items = pick(body);
  box.replaceChildren(
    el('p', { 'data-count': items.length }, `共 ${items.length} 项`),
    ...(items.length ? [el('div', { class: 'scroll' }, table(headers, items.slice(0, 20).map(line)))] : []),
  );
}

const spotChecks = () =>
  panel(
    '/v1/oversight/spot-checks',
    'spot-checks',
    (b) => b.rounds,
    ['月份', '县（区）', '决定数', '抽取数', '已有结论', '抽取日期'],
    (r) => [
      r.month,
      r.countyCode,
      r.populationSize,
      r.drawn.length,
      `${r.checks.filter((c) => c.outcome).length} / ${r.checks.length}`,
      r.drawnOn,
    ],
  );

const complaints = () =>
  panel(
    '/v1/complaints?stage=open',
    'complaints',
    (b) => b.items,
    ['编号', '来源', '对象', '村（社区）', '受理日期', '阶段', '答复期限'],
    (c) => [
      c.complaintId,
      zh(COMPLAINT_SOURCES, c.source),
      zh(COMPLAINT_SUBJECTS, c.subjectKind),
      c.villageCode,
      c.receivedOn,
      zh(STAGES, c.stage),
      `${c.deadline}${c.overdue ? '（逾期）' : c.atRisk ? '（临期）' : ''}`,
    ],
  );

function showError(problem) {
  $('board-error').textContent = problem?.detail ?? problem?.title ?? '请求失败';
}

async function loadBoard() {
  const c = claims(token());
  $('who-text').textContent = `${c.sub ?? ''}（${zh(ROLES, c.role)}，辖区 ${c.region ?? ''}）`;
  const summary = await api('/v1/supervision/summary');
  if (summary.status !== 200) {
    logout(summary.body?.detail ?? '无权查看');
    return;
  }
  $('login').hidden = true;
  $('board').hidden = false;
  $('who').hidden = false;
  renderSummary(summary.body);
  const sla = await api('/v1/supervision/sla?months=12');
  if (sla.status === 200) renderSla(sla.body);
  await loadPage();
  await Promise.all([spotChecks(), complaints()]);
  document.body.dataset.ready = 'true';
}

$('f-kind').append(...Object.entries(KINDS).map(([k, label]) => el('option', { value: k }, label)));
$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  loadBoard().catch(() => {});
});
$('logout').addEventListener('click', () => logout());
$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  paging.cursors = [null];
  paging.page = 0;
  loadPage().catch(() => {});
});
$('next-page').addEventListener('click', () => {
  if (!paging.next) return;
  paging.cursors[paging.page + 1] = paging.next;
  paging.page++;
  loadPage().catch(() => {});
});
$('first-page').addEventListener('click', () => {
  paging.page = 0;
  loadPage().catch(() => {});
});
wireLists(api);
$('detail-close').addEventListener('click', () => {
  $('detail').hidden = true;
});
if (token()) loadBoard().catch(() => {});
