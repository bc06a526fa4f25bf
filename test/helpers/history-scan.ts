import type { Payload } from '@temporalio/common';

// R-O7 history checks: a fetched history as plain data, every byte field found by walking it (the
// client gives payload bytes as Uint8Array/Buffer, whatever event or attribute holds them).

export interface HistoryLike {
  events?: unknown[] | null;
}

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

function walk(v: unknown, visit: (v: unknown, key: string, path: string[]) => void, path: string[] = []) {
  if (v === null || typeof v !== 'object' || isBytes(v)) return;
  for (const [k, child] of Object.entries(v)) {
    visit(child, k, path);
    walk(child, visit, [...path, k]);
  }
}

/** The history as JSON with every byte field in base64 (as `temporal workflow show -o json` prints it). */
export function rawJson(history: HistoryLike): string {
  return JSON.stringify(history, function (this: unknown, key: string) {
    const v = (this as Record<string, unknown>)[key];
    return isBytes(v) ? Buffer.from(v).toString('base64') : v;
  });
}

/** Every byte field of the history (payload data and metadata values). */
export function bytesIn(history: HistoryLike): Uint8Array[] {
  const out: Uint8Array[] = [];
  walk(history, (v) => {
    if (isBytes(v)) out.push(v);
  });
  return out;
}

/**
 * Every payload of the history; `clearByDesign` for what Temporal never passes through a payload
 * codec: search attribute values (the server indexes them) and the SDK core's own marker data (a
 * patch marker's patch id; a local activity marker's `data`: sequence, activity type, attempt, time —
 * its `result` is encoded).
 */
export function payloadsIn(
  history: HistoryLike,
): { payload: Payload; clearByDesign: boolean; path: string }[] {
  const out: { payload: Payload; clearByDesign: boolean; path: string }[] = [];
  walk(history, (v, key, path) => {
    if (v && typeof v === 'object' && !isBytes(v) && 'metadata' in v && 'data' in v) {
      const at = [...path, key];
      const marker = at.includes('markerRecordedEventAttributes');
      const clear =
        at.some((p) => p === 'searchAttributes' || p === 'indexedFields') ||
        (marker && (at.includes('patch-data') || at.includes('data')));
      out.push({ payload: v as Payload, clearByDesign: clear, path: at.join('.') });
    }
  });
  return out;
}
