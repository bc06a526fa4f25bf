// R-A1: a household has members (name, national ID number, relation, disability grade and type,
// income, assets). Incomes and assets are recorded per member so that a person can be assessed alone
// (R-E3 single-person enrolment, R-E4 own share and own assets only).
export * from './household-kinds';

// The members' shapes are the API's schemas (domain/household-schema.ts); only their types are
// here, so the rules and workflows that use them never load zod.
export type {
  Assets,
  Disability,
  Household,
  HouseholdInput,
  Income,
  Member,
  RigidExpense,
} from './household-schema';
