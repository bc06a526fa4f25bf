import { actor, VILLAGE } from '../../test/helpers/fixtures';
import { monitoringHitSignal, registerStateQuery } from '../../workflows/contracts';
import { findingMembers, startRegisterEntry } from './register-entry';
import type { NamedScenario } from './session';

// R-L1: an imported household's finding starts its register entry by signal-with-start; the entry's
// first save runs in its first workflow task (a local activity). A warning then opens a visit.
// Left open.
export const registerImportedHousehold: NamedScenario = {
  prefix: 'register',
  name: 'imported-household',
  run: async (s) => {
    const key = 'Hreplay000000000000000003';
    const members = findingMembers();
    const today = await s.today();
    const handle = await startRegisterEntry(s, key, {
      findingId: 'import:I-replay:C-replay',
      source: 'import',
      villageCode: VILLAGE,
      members,
      add: ['dibao'],
      ref: 'C-replay',
      on: today,
      by: actor('admin'),
    });
    let v = await handle.query(registerStateQuery);
    for (let i = 0; i < 50 && v.revision === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      v = await handle.query(registerStateQuery);
    }
    if (v.revision === 0) throw new Error('the entry did not save');
    await handle.signal(monitoringHitSignal, {
      hitId: 'h1',
      kind: 'job_loss',
      idNumber: members[0]!.idNumber,
      source: 'hr bureau',
      detectedOn: today,
    });
    for (let i = 0; i < 50 && v.tasks.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      v = await handle.query(registerStateQuery);
    }
    if (v.tasks.length !== 1) throw new Error('no visit opened');
    return { handle, closed: false };
  },
};
