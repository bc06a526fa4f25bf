import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationActivities } from '../../activities/applications';
import { createRepositories } from '../../db/repositories';
import { listScope } from '../../db/repositories/list-sql';
import { makeIdNumber } from '../../domain/idnumber';
import { ApplicationState } from '../../workflows/application/state';
import { approvedCase, caseView } from '../helpers/case-rows';
import { freshDatabase } from '../helpers/db';
import { applicationInput, COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// The window's lists and the person look-up against Postgres (API.md "Applications", "Cases in
// benefit"; R-O7): keyset pages in (village, id) order whatever the filters, name prefixes of any
// member a case or an application has held, the region's bounds, and the audited look-up.

let db: Awaited<ReturnType<typeof freshDatabase>>;
let repos: ReturnType<typeof createRepositories>;
beforeAll(async () => {
  db = await freshDatabase();
  repos = createRepositories(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

const OTHER_TOWNSHIP_VILLAGE = '140802102201';
const STATUSES = ['active', 'tapering', 'suspended', 'closed'];
const CATEGORIES = ['dibao', 'extreme_poverty', 'expenditure_type'];
let serial = 0;

/** Cases written straight into the read model (the lists read nothing else). */
async function seedCases(n: number, villages: string[], prefix: string) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    serial += 1;
    const village = villages[i % villages.length]!;
    const id = `I${COUNTY}${prefix}${String(serial).padStart(12, '0')}`;
    ids.push(id);
    await db.pool.query(
      `INSERT INTO cases (case_id, category, village_code, township_code, county_code, status, monthly_amount,
         start_month, approved_on, approved_by, members, persons)
       VALUES ($1,$2,$3,$4,$5,$6,'500.00','2026-01','2025-12-20','county-1',$7,1)`,
      [
        id,
        CATEGORIES[i % 3],
        village,
        village.slice(0, 9),
        COUNTY,
        STATUSES[i % 4],
        JSON.stringify([
          {
            idNumber: makeIdNumber(COUNTY, '1960-01-01', serial % 1000),
            name: `${prefix}户主${i}`,
            relation: 'applicant',
          },
        ]),
      ],
    );
  }
  return ids;
}

async function allPages<T>(read: (after?: T) => Promise<{ items: unknown[]; next?: T }>) {
  const seen: unknown[] = [];
  let after: T | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const { items, next } = await read(after);
    seen.push(...items);
    if (!next) return seen;
    after = next;
  }
  throw new Error('paging did not end');
}

describe('the window’s lists (Postgres)', () => {
  it('API.md: a case list pages by keyset in (village, id) order, each case once, filters and region held', async () => {
    const villages = [VILLAGE, '140802101202', OTHER_TOWNSHIP_VILLAGE];
    const ids = await seedCases(90, villages, 'AA');
    const county = listScope(COUNTY);
    const pageOf =
      (f: object, scope = county) =>
      async (after?: { village: string; id: string }) => {
        const rows = await repos.caseList.page(scope, f, 21, after);
        const items = rows.slice(0, 20);
        const last = items.at(-1);
        return {
          items,
          next: rows.length > 20 && last ? { village: last.villageCode, id: last.caseId } : undefined,
        };
      };
    const all = (await allPages(pageOf({}))) as { caseId: string; villageCode: string }[];
    const mine = all.filter((c) => ids.includes(c.caseId));
    expect(mine).toHaveLength(90);
    const keys = all.map((c) => `${c.villageCode}:${c.caseId}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);

    const suspendedDibao = (await allPages(pageOf({ status: 'suspended', category: 'dibao' }))) as {
      status: string;
      category: string;
    }[];
    expect(suspendedDibao.length).toBeGreaterThan(0);
    expect(suspendedDibao.every((c) => c.status === 'suspended' && c.category === 'dibao')).toBe(true);

    const township = (await allPages(pageOf({}, listScope(TOWNSHIP)))) as { villageCode: string }[];
    expect(township.every((c) => c.villageCode.startsWith(TOWNSHIP))).toBe(true);
    expect(township.filter((c) => c.villageCode === OTHER_TOWNSHIP_VILLAGE)).toEqual([]);
  });

  it('R-O7: a name prefix finds every case a member with that name has been in, in name order; the name index holds no ID number', async () => {
    await seedCases(6, [VILLAGE], 'BB');
    const found = await repos.caseList.byName(listScope(COUNTY), {}, 'BB户主', 50);
    expect(found.map((c) => c.matchedName)).toEqual([...found.map((c) => c.matchedName)].sort());
    expect(found).toHaveLength(6);
    expect(
      await repos.caseList.byName(listScope(OTHER_TOWNSHIP_VILLAGE.slice(0, 9)), {}, 'BB户主', 50),
    ).toEqual([]);
    const columns = await db.pool.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'person_names' ORDER BY 1`,
    );
    expect(columns.rows.map((r) => r.column_name)).toEqual([
      'county_code',
      'holder_id',
      'holder_kind',
      'name',
      'township_code',
      'village_code',
    ]);
  });

  it('R-M5: a member the case takes in later is found by name, and one who left still is', async () => {
    const input = await approvedCase(db.pool, { household: household({ size: 2 }) });
    const caseId = input.applicationId;
    const view = caseView(input);
    const newcomer = {
      idNumber: makeIdNumber(COUNTY, '2001-02-03', 77),
      name: '欧阳新来',
      relation: 'spouse',
      covered: true,
    };
    const leaver = { ...view.members[1]!, covered: false };
    await repos.cases.save({ ...view, members: [view.members[0]!, leaver, newcomer], revision: 1 }, []);
    const byName = async (q: string) =>
      (await repos.caseList.byName(listScope(VILLAGE), {}, q, 50)).map((c) => c.caseId);
    expect(await byName('欧阳')).toContain(caseId);
    expect(await byName(leaver.name)).toContain(caseId);
    expect((await repos.caseList.byId(listScope(VILLAGE), {}, caseId))?.persons).toBe(2);
  });

  it('API.md: applications by stage (or every open stage) and overdue, and by a member’s name prefix', async () => {
    const apps = applicationActivities({ pool: db.pool });
    const made: string[] = [];
    for (const [i, stage] of (['received', 'publicity', 'rejected'] as const).entries()) {
      const hh = household({ size: 2 });
      hh.members[0]!.name = `司马${i}`;
      const input = applicationInput({ household: hh });
      const view = new ApplicationState(input, input.context, new Date('2026-11-24T02:00:00Z')).snapshot();
      await apps.receiveApplication({ input, view: { ...view, stage }, entries: [], version: 1 });
      made.push(input.applicationId);
    }
    const page = (f: object) =>
      repos.applicationList
        .page(listScope(VILLAGE), f, 100)
        .then((r) => r.filter((a) => made.includes(a.applicationId)));
    expect((await page({})).map((a) => a.stage).sort()).toEqual(['publicity', 'received', 'rejected']);
    expect((await page({ stage: 'open' })).map((a) => a.stage).sort()).toEqual(['publicity', 'received']);
    expect((await page({ stage: 'rejected' })).map((a) => a.applicantName)).toEqual(['司马2']);
    expect(await page({ overdue: true })).toEqual([]);
    const named = await repos.applicationList.byName(listScope(COUNTY), { stage: 'open' }, '司马', 10);
    expect(named.map((a) => a.matchedName)).toEqual(['司马0', '司马1']);
  });

  it('R-O7: a person’s look-up answers their applications and cases within the region and audits the read by digest, never the ID number', async () => {
    const input = await approvedCase(db.pool, { household: household({ size: 2 }) });
    const person = input.household.members[1]!;
    // The members as the receipt recorded them (approvedCase saves the application without them).
    await db.pool.query(
      `INSERT INTO application_members (application_id, id_number, name, relation)
       SELECT $1, m->>'idNumber', m->>'name', m->>'relation' FROM jsonb_array_elements($2::jsonb) m`,
      [input.applicationId, JSON.stringify(input.household.members)],
    );
    const reader = { sub: 'clerk-7', role: 'township_staff', region: TOWNSHIP };
    const found = await repos.personLookup.lookup({
      idNumber: person.idNumber,
      digest: 'Pdigest-of-the-person',
      scope: listScope(TOWNSHIP),
      reader,
      requestId: 'req-1',
    });
    expect(found.cases.map((c) => [c.caseId, c.held, c.name])).toEqual([
      [input.applicationId, true, person.name],
    ]);
    expect(found.applications.map((a) => a.applicationId)).toEqual([input.applicationId]);
    const elsewhere = await repos.personLookup.lookup({
      idNumber: person.idNumber,
      digest: 'Pdigest-of-the-person',
      scope: listScope(OTHER_TOWNSHIP_VILLAGE),
      reader: { ...reader, region: OTHER_TOWNSHIP_VILLAGE },
      requestId: 'req-2',
    });
    expect(elsewhere.cases).toEqual([]);
    expect(elsewhere.applications).toEqual([]);
    const { rows } = await db.pool.query(
      `SELECT subject_kind, subject_id, action, actor_sub, payload FROM audit_events
       WHERE action = 'person_lookup' ORDER BY id`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      subject_kind: 'person',
      subject_id: 'Pdigest-of-the-person',
      actor_sub: 'clerk-7',
      payload: { cases: [input.applicationId], applications: [input.applicationId], region: TOWNSHIP },
    });
    expect(JSON.stringify(rows)).not.toContain(person.idNumber);
    expect(JSON.stringify(rows)).not.toContain(person.name);
  });
});
