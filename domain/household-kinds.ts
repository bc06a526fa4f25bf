// R-A1: the kinds a household's members are described with — relation, disability type, income and
// rigid-spending kinds — which the rules and the API's schemas (household-schema.ts) share.

export const relations = [
  'applicant',
  'spouse',
  'child',
  'parent',
  'sibling',
  'grandchild',
  'other',
] as const;
export type Relation = (typeof relations)[number];

export const disabilityTypes = [
  'physical',
  'visual',
  'hearing',
  'speech',
  'intellectual',
  'mental',
  'multiple',
] as const;
export type DisabilityType = (typeof disabilityTypes)[number];

// R-E4 and the policy's exemptions refer to these kinds; `support_from_*` is maintenance money paid
// to the member by a sibling / by a person aged 60 or over (000 §一(二)).
export const incomeKinds = [
  'wage',
  'business',
  'property',
  'pension',
  'transfer',
  'support_from_sibling',
  'support_from_elderly_60plus',
  'other',
] as const;
export type IncomeKind = (typeof incomeKinds)[number];

// R-E5 rigid spending (000 §一(三)): illness, disability, schooling.
export const expenseKinds = ['illness', 'disability', 'schooling'] as const;
export type ExpenseKind = (typeof expenseKinds)[number];
