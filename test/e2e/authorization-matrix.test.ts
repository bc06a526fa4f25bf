import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../domain/roles';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { BAD_TOKENS } from '../helpers/tokens';

// API.md "Identity and reach", as a matrix generated from the served OpenAPI document: every route
// × every role × (own region, neighbouring county, parent region), plus every kind of bad token.
// The roles per route are written here from API.md's tables (`who`); routes API.md does not list
// say where their roles come from. A route in the document without a row here fails the test.

type Reach =
  | 'record' // found by id: out of region answers like an unknown id, 404 (R-O7)
  | 'region' // names a county or region: out of region is 403
  | 'national' // the national calendar: province-level admins only (R-T2)
  | 'public' // the village notice board: anyone with a token (API.md)
  | 'lines'; // a batch or a report naming villages: refused per line or by validation, never 2xx for others' data by accident

const STAFF = ['township_staff', 'county_staff', 'supervisor'] as const;
const RECORD_ID = 'A14080220260101ABCDEF01';
const HOUSEHOLD = `H-dev1-${'0'.repeat(32)}`;
const COMPLAINT_ID = 'C14080220260101ABCDEF012345';
const ASSISTANCE_ID = 'T14080220260101ABCDEF012345';
const EXPECTED: Record<string, { roles: readonly string[]; reach: Reach; url?: string; body?: object }> = {
  'POST /v1/applications': { roles: ['township_staff'], reach: 'lines' },
  'GET /v1/applications/{id}': { roles: STAFF, reach: 'record' },
  // API.md: the caller's applications and cases; naming a township out of reach is 403.
  'GET /v1/applications': { roles: STAFF, reach: 'region', url: '/v1/applications?township=140802101' },
  'GET /v1/cases': { roles: STAFF, reach: 'region', url: '/v1/cases?township=140802101' },
  // API.md: one person by the ID number in the body; a caller out of region is answered nothing of it.
  'POST /v1/people/lookup': { roles: STAFF, reach: 'lines', body: { idNumber: '140802196503120018' } },
  'POST /v1/applications/{id}/investigation': { roles: ['township_staff'], reach: 'record' },
  'POST /v1/applications/{id}/economic-check': { roles: ['integration', 'township_staff'], reach: 'record' },
  'POST /v1/applications/{id}/initial-opinion': { roles: ['township_staff'], reach: 'record' },
  'POST /v1/applications/{id}/objections': { roles: ['township_staff'], reach: 'record' },
  'POST /v1/applications/{id}/decision': { roles: ['county_staff', 'township_staff'], reach: 'record' },
  // Not in API.md: R-A5 sending back for a new opinion (the deciding authority), R-A6 an extension
  // for a circumstance found during the procedure (the staff handling it).
  'POST /v1/applications/{id}/return': { roles: ['county_staff', 'township_staff'], reach: 'record' },
  'POST /v1/applications/{id}/extension': { roles: ['township_staff', 'county_staff'], reach: 'record' },
  'POST /v1/applications/{id}/withdrawal': { roles: ['township_staff'], reach: 'record' },
  'POST /v1/applications/{id}/temporary-assistance': { roles: ['township_staff'], reach: 'record' },
  'GET /v1/cases/{id}': { roles: STAFF, reach: 'record' },
  'GET /v1/cases/{id}/payments': { roles: STAFF, reach: 'record' },
  'POST /v1/cases/{id}/changes': { roles: ['township_staff'], reach: 'record' },
  'POST /v1/cases/{id}/reviews/{reviewId}': { roles: ['township_staff', 'county_staff'], reach: 'record' },
  // Not in API.md: the staff's own death report (ARCHITECTURE.md "when a death notice arrives").
  'POST /v1/cases/{id}/deaths': { roles: ['township_staff'], reach: 'record' },
  // Not in API.md: R-M10 repayments and write-offs of a repayment demand, recorded by the county.
  'POST /v1/cases/{id}/demands/{demandId}/repayments': { roles: ['county_staff'], reach: 'record' },
  'POST /v1/cases/{id}/demands/{demandId}/write-off': { roles: ['county_staff'], reach: 'record' },
  'POST /v1/visit-reports': { roles: ['township_staff'], reach: 'lines' },
  // Not in API.md: a township's forward of its villages' reports (R-M7), township staff like the report.
  'POST /v1/visit-reports/forwards': { roles: ['township_staff'], reach: 'lines' },
  'GET /v1/notices/{id}': { roles: STAFF, reach: 'record', url: '/v1/notices/N-matrix' },
  // API.md "Documents and onboarding": the printable notice, reach as the notice's.
  'GET /v1/notices/{id}.pdf': { roles: STAFF, reach: 'record', url: '/v1/notices/N-matrix.pdf' },
  'POST /v1/integrations/death-notices': { roles: ['integration'], reach: 'lines' },
  'POST /v1/integrations/comparison-hits': { roles: ['integration'], reach: 'lines' },
  'POST /v1/integrations/payment-results': { roles: ['integration'], reach: 'lines' },
  // API.md: supervisor; the project also lets county staff and admins watch their region (R-O3).
  'GET /v1/supervision/overdue': {
    roles: ['supervisor', 'county_staff', 'admin'],
    reach: 'region',
    url: '/v1/supervision/overdue?township=140802101',
  },
  // Not in API.md: the supervisor's page reads the overdue counts by township and kind (R-O3) and
  // the SLA compliance by month (R-A6); the same callers as the overdue list.
  'GET /v1/supervision/summary': {
    roles: ['supervisor', 'county_staff', 'admin'],
    reach: 'region',
    url: '/v1/supervision/summary?township=140802101',
  },
  'GET /v1/supervision/sla': {
    roles: ['supervisor', 'county_staff', 'admin'],
    reach: 'region',
    url: '/v1/supervision/sla?region=140802',
  },
  // Not in API.md: missing visit reports (R-M7) for supervisors and county staff.
  'GET /v1/supervision/visit-reports': { roles: ['supervisor', 'county_staff'], reach: 'lines' },
  'GET /v1/publicity': { roles: ROLES, reach: 'public', url: '/v1/publicity?village=140802101201' },
  // API.md: supervisor; administrators read the statistics too.
  'GET /v1/reports/payments': {
    roles: ['supervisor', 'admin'],
    reach: 'region',
    url: '/v1/reports/payments?region=140802&month=2026-01',
  },
  'PUT /v1/admin/standards': {
    roles: ['admin'],
    reach: 'region',
    body: {
      countyCode: '140802',
      effectiveFrom: '2026-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    },
  },
  // Not in API.md: reading a county's standards, by those who act on them.
  'GET /v1/admin/standards/{countyCode}': { roles: ['admin', 'supervisor', 'county_staff'], reach: 'region' },
  'PUT /v1/admin/calendar/{year}': {
    roles: ['admin'],
    reach: 'national',
    body: { holidays: ['2031-01-01'], makeUpWorkdays: [] },
  },
  // Not in API.md: the payroll (R-M1) started by hand and read by county staff and admins.
  'POST /v1/payrolls': {
    roles: ['admin', 'county_staff'],
    reach: 'region',
    body: { countyCode: '140802', month: '2026-01' },
  },
  'GET /v1/payrolls/{countyCode}/{month}': {
    roles: ['admin', 'county_staff', 'supervisor'],
    reach: 'region',
  },
  'GET /v1/payrolls/{countyCode}/{month}/file': { roles: ['admin', 'county_staff'], reach: 'region' },
  'POST /v1/imports/cases': { roles: ['admin'], reach: 'region', url: '/v1/imports/cases?countyCode=140802' },
  'GET /v1/imports/{id}': { roles: ['admin'], reach: 'record' },
  // API.md "Low-income register" (R-L1 … R-L3); the household's own page is not in API.md (staff read it).
  'GET /v1/register': { roles: STAFF, reach: 'region', url: '/v1/register?region=140802101' },
  'GET /v1/register/households/{id}': {
    roles: STAFF,
    reach: 'record',
    url: `/v1/register/households/${HOUSEHOLD}`,
  },
  'POST /v1/register/households': { roles: ['township_staff'], reach: 'lines' },
  'POST /v1/register/households/{id}/visits': {
    roles: ['township_staff'],
    reach: 'record',
    url: `/v1/register/households/${HOUSEHOLD}/visits`,
  },
  'POST /v1/register/households/{id}/referrals': {
    roles: ['township_staff'],
    reach: 'record',
    url: `/v1/register/households/${HOUSEHOLD}/referrals`,
  },
  // Not in API.md by name: the department's answer to a referral (R-L3).
  'POST /v1/register/households/{id}/referrals/{referralId}/answer': {
    roles: ['township_staff'],
    reach: 'record',
    url: `/v1/register/households/${HOUSEHOLD}/referrals/r1/answer`,
  },
  'POST /v1/integrations/monitoring-hits': { roles: ['integration'], reach: 'lines' },
  // API.md "Oversight" (R-O4): the complaint routes; each step's roles from the rule (who assigns,
  // who investigates and answers, who grants the one extension).
  'POST /v1/complaints': { roles: STAFF, reach: 'lines' },
  'GET /v1/complaints': { roles: STAFF, reach: 'region', url: '/v1/complaints?region=140802101' },
  // Not in API.md: the ledger's counts (R-O4), asked for apart from its pages.
  'GET /v1/complaints/counts': {
    roles: STAFF,
    reach: 'region',
    url: '/v1/complaints/counts?region=140802101',
  },
  'GET /v1/complaints/{id}': { roles: STAFF, reach: 'record', url: `/v1/complaints/${COMPLAINT_ID}` },
  'POST /v1/complaints/{id}/assignment': {
    roles: STAFF,
    reach: 'record',
    url: `/v1/complaints/${COMPLAINT_ID}/assignment`,
  },
  'POST /v1/complaints/{id}/finding': {
    roles: ['township_staff', 'county_staff'],
    reach: 'record',
    url: `/v1/complaints/${COMPLAINT_ID}/finding`,
  },
  'POST /v1/complaints/{id}/answer': {
    roles: ['township_staff', 'county_staff'],
    reach: 'record',
    url: `/v1/complaints/${COMPLAINT_ID}/answer`,
  },
  'POST /v1/complaints/{id}/extension': {
    roles: ['county_staff', 'supervisor'],
    reach: 'record',
    url: `/v1/complaints/${COMPLAINT_ID}/extension`,
  },
  // API.md "Oversight": the close-relative register (R-O1) and the audit by staff member (R-O6).
  'GET /v1/oversight/close-relatives': {
    roles: ['supervisor', 'county_staff'],
    reach: 'region',
    url: '/v1/oversight/close-relatives?region=140802101',
  },
  'GET /v1/audit': { roles: ['supervisor'], reach: 'region', url: '/v1/audit?actor=matrix&region=140802101' },
  // API.md "Oversight": the county's spot checks (R-O2), county staff and supervisors.
  'GET /v1/oversight/spot-checks': {
    roles: ['county_staff', 'supervisor'],
    reach: 'region',
    url: '/v1/oversight/spot-checks?county=140802',
  },
  // Not in API.md: a round drawn by hand for a past month (the schedule draws last month's).
  'POST /v1/oversight/spot-checks': {
    roles: ['county_staff', 'supervisor'],
    reach: 'region',
    body: { countyCode: '140802', month: '2026-01' },
  },
  'POST /v1/oversight/spot-checks/{id}/finding': { roles: ['county_staff', 'supervisor'], reach: 'record' },
  // API.md "Close-relative roster" (R-O1): county staff and supervisors read, county staff keep it.
  'GET /v1/oversight/roster': {
    roles: ['county_staff', 'supervisor'],
    reach: 'region',
    url: '/v1/oversight/roster?region=140802',
  },
  'POST /v1/oversight/roster': {
    roles: ['county_staff'],
    reach: 'region',
    body: { countyCode: '140802', staff: [] },
  },
  // API.md "Temporary assistance" (R-A10): the township receives where the hardship happened; the
  // township or the county decides and records the bank's result; the township documents what it
  // paid first (the rule). Not in API.md: supervisors read a request (the overdue list's drill-down).
  'POST /v1/temporary-assistance': { roles: ['township_staff'], reach: 'lines' },
  'GET /v1/temporary-assistance/{id}': {
    roles: ['township_staff', 'county_staff', 'supervisor'],
    reach: 'record',
    url: `/v1/temporary-assistance/${ASSISTANCE_ID}`,
  },
  'POST /v1/temporary-assistance/{id}/decision': {
    roles: ['township_staff', 'county_staff'],
    reach: 'record',
    url: `/v1/temporary-assistance/${ASSISTANCE_ID}/decision`,
  },
  'POST /v1/temporary-assistance/{id}/documentation': {
    roles: ['township_staff'],
    reach: 'record',
    url: `/v1/temporary-assistance/${ASSISTANCE_ID}/documentation`,
  },
  'POST /v1/temporary-assistance/{id}/payment-result': {
    roles: ['township_staff', 'county_staff'],
    reach: 'record',
    url: `/v1/temporary-assistance/${ASSISTANCE_ID}/payment-result`,
  },
  'PUT /v1/admin/temporary-assistance-limits': {
    roles: ['admin'],
    reach: 'region',
    body: {
      countyCode: '140802',
      effectiveFrom: '2026-01-01',
      perGrant: '1000.00',
      perHouseholdYear: '3000.00',
    },
  },
  // Not in API.md: reading a county's limits, by those who act on them (as its standards).
  'GET /v1/admin/temporary-assistance-limits/{countyCode}': {
    roles: ['admin', 'supervisor', 'county_staff'],
    reach: 'region',
  },
};

// The record lives in village 140802101201 (county 140802); regions by the caller's usual level.
const LEVEL: Record<string, { own: string; neighbour: string; parent: string }> = {
  township_staff: { own: '140802101', neighbour: '140803101', parent: '140802' },
  county_staff: { own: '140802', neighbour: '140803', parent: '1408' },
  supervisor: { own: '140802', neighbour: '140803', parent: '1408' },
  integration: { own: '14', neighbour: '140803', parent: '14' },
  admin: { own: '14', neighbour: '140803', parent: '14' },
};
const PARAMS: Record<string, string> = {
  id: RECORD_ID,
  reviewId: 'r1',
  demandId: 'D-matrix-1',
  countyCode: '140802',
  month: '2026-01',
  year: '2031',
};

let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({ worker: false, env: { TEMPORAL_QUERY_TIMEOUT: '200ms' } });
  await env.pool.query(
    `INSERT INTO notices (notice_id, kind, subject_kind, subject_id, village_code, addressee, reasons, decided_on, decided_by)
     VALUES ('N-matrix', 'rejection', 'application', $1, '140802101201', '张三', 'r', '2026-01-05', 'c')`,
    [RECORD_ID],
  );
});
afterAll(async () => {
  await env?.stop();
});

type Cell = { op: string; who: string; expect: (s: number) => boolean; want: string };
const allowed = (s: number) => s !== 401 && s !== 403 && s < 500;

function cellsOf(op: string, e: (typeof EXPECTED)[string]): Cell[] {
  const cells: Cell[] = Object.keys(BAD_TOKENS).map((t) => ({
    op,
    who: t,
    expect: (s) => s === 401,
    want: '401',
  }));
  for (const role of ROLES) {
    for (const where of ['own', 'neighbour', 'parent'] as const) {
      const who = `${role}@${where}`;
      if (!e.roles.includes(role)) {
        cells.push({ op, who, expect: (s) => s === 403, want: '403' });
      } else if (where !== 'neighbour' || e.reach === 'public') {
        const national = e.reach === 'national' && LEVEL[role]![where].length > 2;
        cells.push(
          national
            ? { op, who, expect: (s) => s === 403, want: '403' }
            : { op, who, expect: allowed, want: 'allowed' },
        );
      } else if (e.reach === 'record') {
        cells.push({
          op,
          who,
          expect: (s) => s === 404 || (s === 400 && !op.startsWith('GET')),
          want: '404',
        });
      } else if (e.reach === 'region' || e.reach === 'national') {
        cells.push({
          op,
          who,
          expect: (s) => s === 403 || (s === 400 && !e.body && !op.startsWith('GET')),
          want: '403',
        });
      } else {
        cells.push({ op, who, expect: allowed, want: 'refused per line' });
      }
    }
  }
  return cells;
}

describe('authorization matrix', () => {
  it('API.md: every route × role × region and every bad token answers its expected status (401, 403, 404 or allowed, never 5xx)', async () => {
    const doc = (await env.api.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const ops = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/v1/'))
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`));
    expect(
      ops.filter((o) => !EXPECTED[o]),
      'routes without an expected row',
    ).toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((o) => !ops.includes(o)),
      'rows without a route',
    ).toEqual([]);

    const failures: string[] = [];
    let cells = 0;
    for (const op of ops) {
      const e = EXPECTED[op]!;
      const [method, path] = op.split(' ') as [string, string];
      const url = e.url ?? path.replace(/\{(\w+)\}/g, (_, k: string) => PARAMS[k]!);
      for (const cell of cellsOf(op, e)) {
        const [role, where] = cell.who.split('@') as [string, 'own' | 'neighbour' | 'parent' | undefined];
        const headers = where ? env.as(role, LEVEL[role]![where], `matrix-${role}`) : BAD_TOKENS[role]!;
        const res = await env.api.inject({
          method: method as 'GET',
          url,
          headers,
          ...(method === 'GET' ? {} : { payload: e.body ?? {} }),
        });
        cells++;
        if (!cell.expect(res.statusCode))
          failures.push(`${op} ${cell.who}: ${res.statusCode}, expected ${cell.want}`);
        else if (
          res.statusCode >= 400 &&
          !String(res.headers['content-type']).includes('application/problem+json')
        )
          failures.push(`${op} ${cell.who}: ${res.statusCode} not problem+json`);
      }
    }
    console.log(
      `authorization matrix: ${ops.length} routes × (${ROLES.length} roles × 3 regions + ${Object.keys(BAD_TOKENS).length} bad tokens) = ${cells} cells`,
    );
    expect(failures).toEqual([]);
    expect(cells).toBe(ops.length * (ROLES.length * 3 + Object.keys(BAD_TOKENS).length));
  }, 240_000);
});
