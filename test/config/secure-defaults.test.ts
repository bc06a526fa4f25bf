import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/env';

// R-O7: fail closed. The development JWT secret and payload key are for a developer's machine and
// the tests only: any other NODE_ENV — unset included — refuses them, so a deployment that forgot a
// variable does not start with keys everybody knows.

const ROOT = join(import.meta.dirname, '..', '..');
const KEYS = {
  PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  PAYLOAD_KEY_ID: 'k1',
  ID_KEYS: `i1:${Buffer.alloc(32, 8).toString('base64')}`,
  ID_KEY_ID: 'i1',
};
const DEV_ID_KEYS = 'dev1:ZGliYW8tZGV2LW9ubHktaWQtaG1hYy1rZXktMDAwMDE=';
const DEV_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';
const DEV_KEYS = 'dev-1:ZGliYW8tZGV2LW9ubHktcGF5bG9hZC1rZXktMDAwMDE=';

describe('secure by default (R-O7)', () => {
  it('R-O7: without NODE_ENV the development payload key is refused', () => {
    expect(() => parseConfig({})).toThrow(/PAYLOAD_KEYS/);
    expect(() => parseConfig({ PAYLOAD_KEYS: DEV_KEYS, PAYLOAD_KEY_ID: 'dev-1' })).toThrow(/PAYLOAD_KEYS/);
  });

  it('R-O7: without NODE_ENV the development ID (HMAC) key is refused, given or defaulted', () => {
    const { ID_KEYS: _k, ID_KEY_ID: _i, ...payload } = KEYS;
    expect(() => parseConfig(payload)).toThrow(/ID_KEYS/);
    expect(() => parseConfig({ ...payload, ID_KEYS: DEV_ID_KEYS, ID_KEY_ID: 'dev1' })).toThrow(/ID_KEYS/);
    expect(parseConfig(KEYS).ID_KEY_ID).toBe('i1');
  });

  it('R-O7: without NODE_ENV the development JWT secret is refused, given or defaulted', () => {
    expect(() => parseConfig({ ...KEYS, JWT_SECRET: DEV_SECRET })).toThrow(/JWT_SECRET/);
    expect(() => parseConfig({ ...KEYS, NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('R-O7: development and test (set explicitly) keep the development secret and key', () => {
    for (const NODE_ENV of ['development', 'test']) {
      const c = parseConfig({ NODE_ENV });
      expect(c.PAYLOAD_KEY_ID).toBe('dev-1');
      expect(c.JWT_SECRET).toBe(DEV_SECRET);
    }
  });

  it.each([
    ['API', 'api/server.ts'],
    ['worker', 'worker/main.ts'],
  ])('R-O7: the %s refuses to start with the development key when NODE_ENV is unset', (_what, entry) => {
    const env = { ...process.env };
    delete env.NODE_ENV;
    delete env.PAYLOAD_KEYS;
    delete env.PAYLOAD_KEY_ID;
    delete env.JWT_SECRET;
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, entry)], {
      env: {
        ...env,
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        // Were it to start after all, it must not take a port someone else uses.
        HTTP_PORT: String(40_000 + Math.floor(Math.random() * 20_000)),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid configuration');
    expect(r.stderr).toContain('PAYLOAD_KEYS');
  });
});
