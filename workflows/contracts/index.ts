// Every signal, update, query, id helper and status union of the workflows, one file per workflow
// behind this index (STYLE.md). Imported by the workflows, the activities and the API alike, so
// every file must stay free of I/O.
export * from './application';
export * from './case';
export * from './common';
export * from './complaint';
export * from './demands';
export * from './import';
export * from './imported-case';
export * from './payroll';
export * from './register';
export * from './retention';
export * from './spot-checks';
export * from './standard';
export * from './temporary-assistance';
