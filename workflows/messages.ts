// Every signal, update, query, id helper and status union of the workflows, one file per workflow
// behind this index (STYLE.md). Imported by the workflows, the activities and the API alike, so
// every file must stay free of I/O.
export * from './messages/application';
export * from './messages/case';
export * from './messages/common';
export * from './messages/complaint';
export * from './messages/demands';
export * from './messages/import';
export * from './messages/payroll';
export * from './messages/register';
export * from './messages/spot-checks';
