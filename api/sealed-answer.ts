import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyConfig } from '../codec/payload-codec';

// R-O7: a replayed answer (idempotency_keys.response) may hold a household — names, ID numbers,
// incomes — so it is kept sealed with the payload keys (AES-256-GCM, PAYLOAD_KEY_ID; any configured
// key opens it), bound to its caller and key (associated data): a row copied to another key does
// not open. Answers stored before sealing replay as they were until the retention purges them.

interface Sealed {
  sealed: string;
  keyId: string;
}

const aad = (caller: string, key: string) => Buffer.from(`idempotency\u0000${caller}\u0000${key}`);

export function sealAnswer(keys: KeyConfig, caller: string, key: string, body: unknown): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.PAYLOAD_KEYS.get(keys.PAYLOAD_KEY_ID)!, iv);
  cipher.setAAD(aad(caller, key));
  const data = Buffer.concat([cipher.update(JSON.stringify(body ?? null), 'utf8'), cipher.final()]);
  return {
    sealed: Buffer.concat([iv, data, cipher.getAuthTag()]).toString('base64'),
    keyId: keys.PAYLOAD_KEY_ID,
  };
}

const isSealed = (v: unknown): v is Sealed =>
  typeof v === 'object' &&
  v !== null &&
  Object.keys(v).length === 2 &&
  typeof (v as Sealed).sealed === 'string' &&
  typeof (v as Sealed).keyId === 'string';

/** The stored answer in clear; throws when its key is gone or it was tampered with. */
export function openAnswer(keys: KeyConfig, caller: string, key: string, stored: unknown): unknown {
  if (!isSealed(stored)) return stored;
  const k = keys.PAYLOAD_KEYS.get(stored.keyId);
  if (!k) throw new Error(`stored answer sealed with unknown key ${stored.keyId}`);
  const raw = Buffer.from(stored.sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, 12));
  decipher.setAAD(aad(caller, key));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}
