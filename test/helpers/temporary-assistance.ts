import type { CivilDate } from '../../domain/dates';
import type { TemporaryAssistanceLimits } from '../../domain/temporary-assistance';
import type { TemporaryAssistanceInput } from '../../workflows/contracts';
import { actor, COUNTY, idNumber, VILLAGE } from './fixtures';

// R-A10 test data: a county whose township grants up to 1000.00 at once and 3000.00 a household a
// year from its reserve fund, documented within 5 working days, at risk 2 before.

export const LIMITS: TemporaryAssistanceLimits = {
  countyCode: COUNTY,
  version: `${COUNTY}-2020-01-01-ta1`,
  effectiveFrom: '2020-01-01',
  perGrant: '1000.00',
  perHouseholdYear: '3000.00',
  documentationWorkingDays: 5,
  documentationAtRiskWorkingDays: 2,
};

/** A unique request id in the API's shape (`T<county><date><12 hex>`). */
export const assistanceId = (on: CivilDate) =>
  `T${COUNTY}${on.replaceAll('-', '')}${Math.random().toString(16).slice(2, 14).toUpperCase().padEnd(12, '0')}`;

/** A household of two after an accident, asking 800.00, received where it happened. */
export function temporaryInput(
  receivedOn: CivilDate,
  overrides: Partial<TemporaryAssistanceInput> = {},
): TemporaryAssistanceInput {
  return {
    assistanceId: assistanceId(receivedOn),
    villageCode: VILLAGE,
    residence: 'rural',
    members: [
      { name: '李四', idNumber: idNumber('1980-02-02'), relation: 'applicant' },
      { name: '李小四', idNumber: idNumber('2010-06-06'), relation: 'child' },
    ],
    hardshipKind: 'accident',
    hardship: 'house fire',
    occurredOn: receivedOn,
    amountAsked: '800.00',
    receivedOn,
    receivedBy: actor('township_staff', undefined, 'clerk-1'),
    source: { kind: 'staff' },
    limits: LIMITS,
    runtimeYears: [],
    ...overrides,
  };
}
