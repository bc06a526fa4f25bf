import { createHmac } from 'node:crypto';

// R-O7: how the audit names a person without their ID number — a keyed digest (HMAC-SHA-256), not
// a plain hash, which anyone could reverse by trying every birth date and serial. With the key, an
// auditor finds every recorded read of one person by computing the digest of their ID number.

export function personDigest(key: Buffer, idNumber: string): string {
  return `P${createHmac('sha256', key).update(`person\u0000${idNumber.toUpperCase()}`).digest('hex').slice(0, 32)}`;
}
