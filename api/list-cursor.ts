import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { badRequest } from './problem';

// The window lists' opaque cursor: the last item's sort key — a village code and an id, or in a
// name search the matched name and an id — sealed with AES-256-GCM under a key derived from the
// API's secret, and bound to the list and its filters. A name never stands readable in a URL
// (R-O7), a client cannot forge a key, and a cursor handed to another list or filter is a 400.

export type ListKey = { village: string; id: string } | { name: string; id: string };

export class ListCursors {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'dibao-list-cursor', 'window lists', 32));
  }

  /** What a cursor is bound to: the list and its filters (the scope included). */
  private static binding(list: string, filters: Record<string, unknown>): string {
    const sorted = Object.keys(filters)
      .sort()
      .map((k) => [k, filters[k] ?? null]);
    return createHash('sha256')
      .update(JSON.stringify([list, sorted]))
      .digest('base64url')
      .slice(0, 16);
  }

  seal(list: string, filters: Record<string, unknown>, key: ListKey): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = JSON.stringify({ b: ListCursors.binding(list, filters), ...key });
    const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The key a cursor names; a cursor this list with these filters did not issue is a 400. */
  open(list: string, filters: Record<string, unknown>, cursor: string): ListKey {
    const refuse = () =>
      badRequest('cursor: not a cursor of this list and these filters', [
        { path: 'cursor', message: 'pass back the nextCursor of the previous page with the same filters' },
      ]);
    let parsed: { b?: unknown; village?: unknown; name?: unknown; id?: unknown };
    try {
      const raw = Buffer.from(cursor, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const body = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw refuse();
    }
    if (parsed.b !== ListCursors.binding(list, filters) || typeof parsed.id !== 'string') throw refuse();
    if (typeof parsed.village === 'string') return { village: parsed.village, id: parsed.id };
    if (typeof parsed.name === 'string') return { name: parsed.name, id: parsed.id };
    throw refuse();
  }
}
