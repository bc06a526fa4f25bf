// What the API answers in codes (stages, statuses, kinds, roles, history actions), as the page
// says it in Chinese. A value the page does not know yet shows as 其他 with the code as a tooltip,
// never as an English word on the page.

export const STAGES = {
  // applications (R-A1 … R-A7)
  received: '已受理',
  verifying: '调查核对中',
  initial_opinion: '待初审意见',
  publicity: '公示中',
  decision: '待审核确认',
  approved: '已批准',
  rejected: '不予批准',
  withdrawn: '已撤回',
  refused: '未受理',
  // complaints (R-O4)
  assigned: '已交办',
  found: '已查实',
  closed: '已办结',
  // a payroll past its payment date (R-M1), a register household's visit (R-L2)
  overdue: '发放逾期',
  visit: '待走访',
  // case tasks and spot checks as the overdue list names them
  death_review: '死亡核查',
  re_review: '定期复核',
  data_check: '数据比对核查',
  change_review: '变化核查',
  spot_check: '抽查复核',
};

export const CASE_STATUS = {
  active: '正常发放',
  tapering: '渐退期',
  suspended: '暂停发放',
  closed: '已停保',
};

export const CATEGORY = {
  dibao: '低保',
  marginal: '低保边缘',
  extreme_poverty: '特困供养',
  expenditure_type: '支出型困难',
  temporary_assistance: '临时救助',
  // register groups (R-L1)
  county_named: '县级认定的其他困难',
  former_recipient: '退出保障仍困难',
};

export const DEADLINE_KINDS = {
  overall: '办结期限',
  investigation: '入户调查',
  economic_check: '信息核对',
  initial_opinion: '初审意见',
  decision: '审核确认',
  rejection_notice: '不予批准告知',
  answer: '答复期限',
};

export const ROLES = {
  township_staff: '乡镇工作人员',
  county_staff: '县级工作人员',
  supervisor: '监督员',
  integration: '系统接口',
  admin: '管理员',
  system: '系统',
};

export const COMPLAINT_SOURCES = {
  hotline_12345: '12345热线',
  letter: '来信',
  visit: '来访',
  online: '网上',
};
export const COMPLAINT_SUBJECTS = {
  case: '保障案件',
  application: '申请',
  staff: '工作人员',
  village: '村（社区）',
};

export const ACTIONS = {
  received: '受理',
  receipt_refused: '不予受理（已在保）',
  investigation_recorded: '入户调查',
  economic_check_recorded: '信息核对',
  initial_opinion_recorded: '初审意见',
  objection_filed: '公示异议',
  publicity_ended: '公示期满',
  returned_for_new_opinion: '退回重新初审',
  procedure_extended: '延长办理期限',
  approved: '批准',
  rejected: '不予批准',
  withdrawn: '撤回',
  temporary_grant: '临时救助',
  close_relative_filed: '近亲属备案',
  deadlines_recomputed: '期限重算',
  calendar_updated: '工作日历更新',
  at_risk: '临期提醒',
  overdue: '逾期',
  case_opened: '纳入保障',
  case_imported: '迁入系统',
  case_closed: '停止保障',
  change_reported: '家庭变化报告',
  members_changed: '家庭成员变更',
  comparison_hit: '数据比对线索',
  death_recorded: '死亡登记',
  death_notice_duplicate: '重复死亡通知',
  death_before_admission: '批准前已死亡',
  standard_changed: '保障标准调整',
  standard_ignored: '标准调整不适用',
  repayment_demand: '责令退回',
  demand_repayment: '退回款项',
  demand_written_off: '核销',
  death_review_opened: '死亡核查开始',
  re_review_opened: '定期复核开始',
  data_check_opened: '数据比对核查开始',
  change_review_opened: '变化核查开始',
  data_check_not_opened: '未开启核查',
  death_review_result: '死亡核查结果',
  re_review_result: '定期复核结果',
  data_check_result: '数据比对核查结果',
  change_review_result: '变化核查结果',
  spot_check_opened: '抽查开始',
  spot_check_confirmed: '抽查维持',
  spot_check_corrected: '抽查纠正',
  spot_check_reversed: '抽查撤销',
  spot_check_finding_ignored: '抽查结论不适用',
  warning: '警告',
  assigned: '交办',
  reassigned: '改派',
  finding: '调查结论',
  found: '查实',
  answered: '答复',
  extended: '延期',
  referred: '转介',
  referral_answered: '转介答复',
  visited: '入户走访',
  visit_at_risk: '走访临期',
  visit_overdue: '走访逾期',
};

/** A code as the page shows it: its Chinese name, or 其他 (the code stays in the tooltip). */
export function zh(map, code) {
  if (code === null || code === undefined || code === '') return '—';
  return map[code] ?? '其他';
}
