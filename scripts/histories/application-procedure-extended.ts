import { actor } from '../../test/helpers/fixtures';
import { applicationStateQuery, procedureExtensionUpdate } from '../../workflows/contracts';
import { check, investigate, type NamedScenario, overall } from './session';

// R-A6: the investigation finds a special circumstance (the household away on two visits); the
// township extends the procedure once (Update `extendProcedure`) to 45 working days from the
// receipt, with the circumstance and its reason. Left open, waiting for the information check.
export const applicationProcedureExtended: NamedScenario = {
  prefix: 'application',
  name: 'procedure-extended',
  run: async (s) => {
    const { input, handle } = await s.start();
    const before = overall(await handle.query(applicationStateQuery))!;
    await investigate(s, handle, input, 'the household was away twice');
    const view = await handle.executeUpdate(procedureExtensionUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          circumstance: 'hard_investigation',
          reason: 'the household was away on two visits',
        },
      ],
    });
    check(
      'extended to a later overall deadline',
      view.extended && overall(view)!.date > before.date && view.stage === 'verifying',
      view,
    );
    return { handle, closed: false };
  },
};
