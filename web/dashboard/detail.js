import { $, el, KINDS, table, yes } from './dom.js';

// The drill-down (R-O3, R-A6): an item's deadlines and history from the existing GET routes of an
// application, a case or a payroll, read with the page's `api` (the token as Authorization header).

export async function showDetail(item, api) {
  const path =
    item.kind === 'application'
      ? `/v1/applications/${encodeURIComponent(item.subjectId)}`
      : item.kind === 'payroll'
        ? `/v1/payrolls/${item.subjectId.split(':').map(encodeURIComponent).join('/')}`
        : `/v1/cases/${encodeURIComponent(item.subjectId)}`;
  $('detail').hidden = false;
  $('detail-title').textContent =
    `${KINDS[item.kind] ?? item.kind} ${item.subjectId}${item.taskId ? ` / ${item.taskId}` : ''}`;
  const out = $('detail-body');
  out.replaceChildren(el('p', {}, '加载中……'));
  const { status, body: v } = await api(path);
  if (status !== 200) return out.replaceChildren(el('p', { class: 'error' }, v?.detail ?? `错误 ${status}`));
  if (item.kind === 'application') {
    out.replaceChildren(
      el(
        'p',
        { id: 'detail-stage' },
        `阶段：${v.stage}　受理日期：${v.acceptedOn}　${v.extended ? '已延期' : ''}`,
      ),
      el('h3', {}, '期限'),
      table(
        ['期限', '日期', '临期日', '临期', '逾期', '完成日', '已替代'],
        v.deadlines.map((d) => [
          d.kind,
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
        v.history.map((h) => [h.at, h.action, h.by.role, h.stage, h.reason]),
      ),
    );
  } else if (item.kind === 'payroll') {
    out.replaceChildren(
      table(
        ['项目', '值'],
        Object.entries(v)
          .filter(([, x]) => typeof x !== 'object')
          .map(([k, x]) => [k, x]),
      ),
    );
  } else {
    out.replaceChildren(
      el('p', { id: 'detail-stage' }, `案件状态：${v.status}　下次复核：${v.nextReviewOn}`),
      el('h3', {}, '核查期限'),
      table(
        ['任务', '类型', '开始', '期限', '临期', '逾期'],
        v.tasks.map((t) => [
          t.taskId,
          KINDS[t.kind] ?? t.kind,
          t.openedOn,
          t.dueOn,
          yes(t.atRisk),
          yes(t.overdue),
        ]),
      ),
      el('h3', {}, '办理记录'),
      table(
        ['时间', '事项', '角色', '理由'],
        v.history.map((h) => [h.at, h.action, h.by.role, h.reason]),
      ),
    );
  }
}
