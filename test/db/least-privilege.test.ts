import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../db/pool';
import { appendAudit } from '../../db/repositories/audit';
import { APP_LOGIN, appLogin } from '../../scripts/lib/postgres';
import { freshDatabase } from '../helpers/db';

// R-O7 R-O6 least privilege: the API and the worker connect as the app's login (a member of
// `dibao_app`, migration …170; created by the start, test and cluster scripts and compose's migrate
// job). Attacked here as a compromised API would attack it: through that login, the append-only
// audit cannot be truncated, deleted or updated past its triggers (the triggers themselves cannot be
// switched off), and nothing can be dropped or created; the rows the app writes are still written.

let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: pg.Pool;
beforeAll(async () => {
  db = await freshDatabase();
  const url = await appLogin(db.url);
  expect(new URL(url).username).toBe(APP_LOGIN);
  app = createPool(url, 2);
  await appendAudit(db.pool, [
    {
      eventKey: `lp:${process.pid}`,
      subjectKind: 'application',
      subjectId: 'A-LP',
      action: 'received',
      actorSub: 'clerk-1',
      actorRole: 'township_staff',
    },
  ]);
}, 60_000);
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

/** The SQLSTATE a statement run as the app's login fails with, or 'ok'. */
async function asApp(sql: string): Promise<string> {
  try {
    await app.query(sql);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}
const DENIED = '42501'; // insufficient_privilege (also "must be owner")

describe('the app login (R-O7 least privilege)', () => {
  it('R-O6 R-O7: cannot TRUNCATE, DELETE or UPDATE the audit, nor switch its triggers off; it can append and read', async () => {
    expect(await asApp('TRUNCATE audit_events')).toBe(DENIED);
    expect(await asApp('DELETE FROM audit_events')).toBe(DENIED);
    expect(await asApp(`UPDATE audit_events SET actor_sub = 'someone else'`)).toBe(DENIED);
    expect(await asApp('ALTER TABLE audit_events DISABLE TRIGGER ALL')).toBe(DENIED);
    await appendAudit(app, [
      {
        eventKey: `lp-app:${process.pid}`,
        subjectKind: 'application',
        subjectId: 'A-LP',
        action: 'read',
        actorSub: 'clerk-1',
        actorRole: 'township_staff',
      },
    ]);
    const { rows } = await db.pool.query(
      `SELECT action, actor_sub FROM audit_events WHERE subject_id = 'A-LP' ORDER BY id`,
    );
    expect(rows).toEqual([
      { action: 'received', actor_sub: 'clerk-1' },
      { action: 'read', actor_sub: 'clerk-1' },
    ]);
  });

  it('R-O7: drops, truncates and creates nothing; reads and writes the rows of the read model', async () => {
    expect(await asApp('DROP TABLE cases')).toBe(DENIED);
    expect(await asApp('TRUNCATE cases')).toBe(DENIED);
    expect(await asApp('CREATE TABLE stolen (x text)')).toBe(DENIED);
    expect(await asApp('DELETE FROM pgmigrations')).toBe(DENIED);
    expect(await asApp('SELECT count(*) FROM cases')).toBe('ok');
    expect(await asApp(`UPDATE cases SET status = status WHERE case_id = 'none'`)).toBe('ok');
    expect(await asApp(`DELETE FROM idempotency_keys WHERE false`)).toBe('ok');
  });

  it('R-O7: a table a later migration creates is the app’s too (default privileges of the owner)', async () => {
    await db.pool.query('CREATE TABLE later_table (x text)');
    expect(await asApp(`INSERT INTO later_table VALUES ('a')`)).toBe('ok');
    expect(await asApp('TRUNCATE later_table')).toBe(DENIED);
  });
});
