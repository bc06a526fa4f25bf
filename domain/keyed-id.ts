import { createHmac } from 'node:crypto';

// R-O7: workflow ids, Update ids, search attributes and URLs derived from a person (an ID number,
// an old system's household number, a caller's Idempotency-Key) are a keyed HMAC with a secret of
// the deployment (ID_KEYS), never a plain hash: an ID number has so few possible values (birth
// dates × serials) that its plain hash is reversed by trying them all. Keys rotate like the payload
// keys: several are configured, one makes new ids, and a lookup of something made earlier tries
// every key (`keyedDigests`). Node only (node:crypto): never imported by workflows.

export interface IdKeys {
  /** Every key that may have made an id still in use. */
  keys: ReadonlyMap<string, Buffer>;
  /** The key that makes new ids. */
  currentKeyId: string;
}

/** Key ids travel inside ids: letters and digits only. */
export const ID_KEY_ID_PATTERN = /^[A-Za-z0-9]{1,16}$/;

const digest = (key: Buffer, purpose: string, parts: string[]) =>
  createHmac('sha256', key)
    .update([purpose, ...parts].join('\u0000'))
    .digest('hex');

/** The current key's HMAC-SHA256 (hex) of a purpose and its parts, with the key's id. */
export function keyedDigest(k: IdKeys, purpose: string, ...parts: string[]): { keyId: string; hex: string } {
  const key = k.keys.get(k.currentKeyId);
  if (!key) throw new Error(`ID key ${k.currentKeyId} is not configured`);
  return { keyId: k.currentKeyId, hex: digest(key, purpose, parts) };
}

/** Every configured key's digest, the current key's first: what a lookup of an older id tries. */
export function keyedDigests(
  k: IdKeys,
  purpose: string,
  ...parts: string[]
): { keyId: string; hex: string }[] {
  const ids = [k.currentKeyId, ...[...k.keys.keys()].filter((id) => id !== k.currentKeyId)];
  return ids.map((keyId) => ({ keyId, hex: digest(k.keys.get(keyId)!, purpose, parts) }));
}
