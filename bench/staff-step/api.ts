import { randomUUID } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { addDays, type CivilDate, civilDateOf } from '../../domain/dates';
import { makeIdNumber } from '../../domain/idnumber';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../../test/helpers/fixtures';

// The HTTP side of bench/staff-step.ts: tokens, and an application's steps with the bodies of
// test/e2e/applications.test.ts (household from test/helpers/fixtures.ts). Over a real socket.

export const JWT_SECRET = 'bench-staff-step-secret-0123456789abcdefghij';
export const JWT_ISSUER = 'dibao';
const sign = createSigner({ key: JWT_SECRET, iss: JWT_ISSUER, expiresIn: 3 * 3_600_000 });
const bearer = (role: string, region: string) => `Bearer ${sign({ sub: `${role}-bench`, role, region })}`;

export const ROLES = {
  admin: bearer('admin', '14'),
  township: bearer('township_staff', TOWNSHIP),
  integration: bearer('integration', COUNTY),
  county: bearer('county_staff', COUNTY),
};

let seq = 0;
/**
 * fixtures' household (two members) with ID numbers unique in the run (fixtures' repeat after 1,000):
 * the applicant born from `bornFrom.applicant` on, the others from `bornFrom.member`.
 */
export function uniqueHousehold(bornFrom = { applicant: '1955-01-01', member: '1990-01-01' }) {
  const hh = household();
  for (const m of hh.members) {
    const k = seq++;
    const born = addDays(
      m.relation === 'applicant' ? bornFrom.applicant : bornFrom.member,
      Math.floor(k / 1000) % 3000,
    );
    m.idNumber = makeIdNumber(COUNTY, born, k % 1000);
  }
  return hh;
}

export class ApiClient {
  /** Send an Idempotency-Key with every POST (API.md: every write accepts one). */
  constructor(
    readonly base: string,
    readonly idempotencyKeys: boolean,
  ) {}

  async call(
    method: string,
    path: string,
    auth: string,
    body: unknown,
    expect = 200,
  ): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { authorization: auth, 'content-type': 'application/json' };
    if (this.idempotencyKeys && method === 'POST') headers['idempotency-key'] = `bench-${randomUUID()}`;
    const res = await fetch(`${this.base}${path}`, { method, headers, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  putStandard() {
    return this.call('PUT', '/v1/admin/standards', ROLES.admin, {
      countyCode: COUNTY,
      effectiveFrom: '2020-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    });
  }
}

/** One application and its steps: a paper procedure entered afterwards (accepted 20 days ago). */
export class BenchApplication {
  readonly accepted: CivilDate = addDays(civilDateOf(new Date()), -20);
  readonly household = uniqueHousehold();
  id = '';

  constructor(readonly api: ApiClient) {}

  private step(path: string, auth: string, body: unknown) {
    return this.api.call('POST', `/v1/applications/${this.id}/${path}`, auth, body);
  }

  async receipt() {
    const res = await this.api.call(
      'POST',
      '/v1/applications',
      ROLES.township,
      {
        category: 'dibao',
        villageCode: VILLAGE,
        acceptedOn: this.accepted,
        delegated: false,
        closeRelative: false,
        household: this.household,
      },
      201,
    );
    this.id = String(res.applicationId);
  }

  investigation() {
    return this.step('investigation', ROLES.township, {
      household: this.household,
      findings: 'visited',
      visitedOn: addDays(this.accepted, 1),
    });
  }

  economicCheck() {
    return this.step('economic-check', ROLES.integration, {
      checkId: `chk-${this.id}`,
      verified: [],
      findings: 'none',
    });
  }

  /** Notice posted 9 days ago: the 7-day publicity has ended, the county can decide at once. */
  initialOpinion() {
    return this.step('initial-opinion', ROLES.township, {
      eligible: true,
      category: 'dibao',
      proposedMonthlyAmount: '1000.00',
      reasons: 'low income',
      publicityPostedOn: addDays(civilDateOf(new Date()), -9),
    });
  }

  async decision() {
    const res = await this.step('decision', ROLES.county, {
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'income below the standard',
    });
    if (res.stage !== 'approved') throw new Error(`decision: stage ${String(res.stage)}, not approved`);
  }

  /** Receipt → approval, every step through the API. */
  async drive() {
    await this.receipt();
    await this.investigation();
    await this.economicCheck();
    await this.initialOpinion();
    await this.decision();
  }
}
