import { onePersonDeath } from './case-death-one-person';
import type { NamedScenario } from './session';

// R-M2 R-O6 since the case records its own death notices (patched 'death-notice-recorded-by-case'):
// the one-person death of case-death-one-person, reported by a named integration.
export const caseDeathRecordedByCase: NamedScenario = {
  prefix: 'case',
  name: 'death-recorded-by-case',
  run: (s) => onePersonDeath(s, { sub: 'health-system', role: 'integration', region: '14' }),
};
