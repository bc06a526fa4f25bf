import { fakeActivities } from '../../test/helpers/workflow-env';
import { fakeImports } from './fake-imports';
import { fakePayrolls } from './fake-payroll';
import { fakeSpotChecks } from './fake-spot-checks';

// The recorder's activities: test/helpers' in-memory stand-ins for the application, the case, the
// register and the complaint, with the payroll, the spot checks and the import faked here as well
// (the workflow tests run those against Postgres). The scenarios set what the fakes answer.
export function recorderFakes() {
  const base = fakeActivities();
  const payroll = fakePayrolls();
  const spotChecks = fakeSpotChecks();
  const imports = fakeImports(base);
  return {
    activities: {
      ...base.activities,
      ...payroll.activities,
      ...spotChecks.activities,
      ...imports.activities,
    },
    calls: base.calls,
    fakes: { payroll: payroll.state, spotChecks: spotChecks.state, imports: imports.state },
  };
}

export type Fakes = ReturnType<typeof recorderFakes>['fakes'];
