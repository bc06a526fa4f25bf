import { $, el, KINDS, table, yes } from './dom.js';
import {
  ACTIONS,
  CASE_STATUS,
  CATEGORY,
  COMPLAINT_SOURCES,
  DEADLINE_KINDS,
  ROLES,
  STAGES,
  zh,
} from './zh.js';

// The drill-down (R-O3, R-A6): an item's deadlines and history from the existing GET routes of an
// application (a spot check shows the decision it checks), a case, a payroll, a complaint (R-O4)
// or a register household (R-L2), read with the page's `api` (the token as Authorization header).
// Codes (stages, deadline kinds, actions, roles) are shown in Chinese (zh.js).

const action = (a) => zh(ACTIONS, a);
const role = (r) => zh(ROLES, r);

const id = (s) => encodeURIComponent(s);
function pathOf(item) {
  switch (item.kind) {
    case 'application':
    case 'spot_check':
      return `/v1/applications/${id(item.subjectId)}`;
    case 'payroll':
      return `/v1/payrolls/${item.subjectId.split(':').map(id).join('/')}`;
    case 'complaint':
      return `/v1/complaints/${id(item.subjectId)}`;
    case 'household_visit':
      return `/v1/register/households/${id(item.subjectId)}`;
    default:
      return `/v1/cases/${id(item.subjectId)}`;
  }
}

function complaintDetail(v) {
  return [
    el(
      'p',
      { id: 'detail-stage' },
      `阶段：${zh(STAGES, v.stage)}　来源：${zh(COMPLAINT_SOURCES, v.source)}　${v.extension ? '已延期' : ''}`,
    ),
    el('h3', {}, '期限'),
    table(
      ['期限', '日期', '临期日', '临期', '逾期', '答复日'],
      [
        [
          zh(DEADLINE_KINDS, v.deadline.kind),
          v.deadline.date,
          v.deadline.atRiskOn,
          yes(v.atRisk),
          yes(v.overdue),
          v.answer?.on,
        ],
      ],
    ),
    el('h3', {}, '办理记录'),
    table(
      ['时间', '事项', '角色', '阶段', '理由'],
      v.history.map((h) => [h.at, action(h.action), role(h.by.role), zh(STAGES, h.stage), h.reason]),
    ),
  ];
}

function householdDetail(v) {
  return [
    el(
      'p',
      { id: 'detail-stage' },
      `登记日期：${v.registeredOn}　类别：${v.groups.map((g) => zh(CATEGORY, g)).join('、')}`,
    ),
    el('h3', {}, '走访期限'),
    table(
      ['任务', '开始', '期限', '临期日', '临期', '逾期', '完成日'],
      v.tasks.map((t) => [
        t.taskId,
        t.openedOn,
        t.due.date,
        t.atRiskOn,
        yes(t.atRisk),
        yes(t.overdue),
        t.closedOn,
      ]),
    ),
    el('h3', {}, '走访记录'),
    table(
      ['日期', '走访人', '情况'],
      v.visits.map((x) => [x.on, x.by, x.findings]),
    ),
  ];
}

export async function showDetail(item, api) {
  const path = pathOf(item);
  $('detail').hidden = false;
  $('detail-title').textContent =
    `${KINDS[item.kind] ?? item.kind} ${item.subjectId}${item.taskId ? ` / ${item.taskId}` : ''}`;
  const out = $('detail-body');
  out.replaceChildren(el('p', {}, '加载中……'));
  const { status, body: v } = await api(path);
  if (status !== 200) return out.replaceChildren(el('p', { class: 'error' }, v?.detail ?? `错误 ${status}`));
  if (item.kind === 'complaint') return out.replaceChildren(...complaintDetail(v));
  if (item.kind === 'household_visit') return out.replaceChildren(...householdDetail(v));
  if (item.kind === 'application' || item.kind === 'spot_check') {
    out.replaceChildren(
      el(
        'p',
        { id: 'detail-stage', 'data-stage': v.stage },
        `阶段：${zh(STAGES, v.stage)}　受理日期：${v.acceptedOn}　${v.extended ? '已延期' : ''}`,
      ),
      el('h3', {}, '期限'),
      table(
        ['期限', '日期', '临期日', '临期', '逾期', '完成日', '已替代'],
        v.deadlines.map((d) => [
          zh(DEADLINE_KINDS, d.kind),
          d.date,
          d.atRiskOn,
          yes(d.atRisk),
          yes(d.overdue),
          d.metOn,
          yes(d.superseded),
        ]),
      ),
      el('h3', {}, '办理记录'),
      table(
        ['时间', '事项', '角色', '阶段', '理由'],
        v.history.map((h) => [h.at, action(h.action), role(h.by.role), zh(STAGES, h.stage), h.reason]),
      ),
    );
  } else if (item.kind === 'payroll') {
    out.replaceChildren(
      el(
        'p',
        { id: 'detail-stage' },
        `发放月份：${v.month}　县（区）：${v.countyCode}　${v.overdue ? '已逾期' : ''}`,
      ),
      table(
        ['造册日期', '发放日期', '已造册案件', '重发', '上报', '未交月份的案件'],
        [[v.rosterDate, v.paymentDate, v.casesDone, v.retried, v.escalated, v.missingCases]],
      ),
    );
  } else {
    out.replaceChildren(
      el('p', { id: 'detail-stage' }, `案件状态：${zh(CASE_STATUS, v.status)}　下次复核：${v.nextReviewOn}`),
      el('h3', {}, '核查期限'),
      table(
        ['任务', '类型', '开始', '期限', '临期', '逾期'],
        v.tasks.map((t) => [t.taskId, zh(KINDS, t.kind), t.openedOn, t.dueOn, yes(t.atRisk), yes(t.overdue)]),
      ),
      el('h3', {}, '办理记录'),
      table(
        ['时间', '事项', '角色', '理由'],
        v.history.map((h) => [h.at, action(h.action), role(h.by.role), h.reason]),
      ),
    );
  }
}
