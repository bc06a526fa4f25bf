import { dataConverter } from '../../codec/payload-codec';
import { idKeysOf, parseConfig } from '../../config/env';

// What scripts/test.sh (scripts/stack.ts test) hands the tests: servers started on free ports.
export function testEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests with scripts/test.sh (it starts the servers)`);
  return v;
}

/**
 * R-O7: the data converter of the development keys (config/env.ts defaults), as the worker and the
 * API build theirs; every test client and worker uses it so histories are encrypted as in production.
 */
export function testDataConverter() {
  return dataConverter(parseConfig({ NODE_ENV: 'test', ...testPayloadKeys() }));
}

/** R-O7: the ID keys of the development configuration, as the worker passes its own to the activities. */
export const testIdKeys = () => idKeysOf(parseConfig({ NODE_ENV: 'test' }));

/**
 * R-O7: the cluster pass hands the tests the cluster's payload keys (TEST_PAYLOAD_KEYS), so what a
 * test's client or worker writes into the shared namespace the cluster's workers can read, and back.
 */
export function testPayloadKeys(): { PAYLOAD_KEYS?: string; PAYLOAD_KEY_ID?: string } {
  const keys = process.env.TEST_PAYLOAD_KEYS;
  return keys ? { PAYLOAD_KEYS: keys, PAYLOAD_KEY_ID: process.env.TEST_PAYLOAD_KEY_ID } : {};
}
