import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';

// R-O7: what kinds of personal data a decoded payload holds, for the audit of the codec server
// (who read which workflow's what): named by the fields' keys, never by their values.

export const FIELD_KINDS = ['id_number', 'name', 'income', 'health', 'contact', 'bank_account'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

const KIND_OF: [RegExp, FieldKind][] = [
  [/^idnumber$|^id_number$|idnumbers$/i, 'id_number'],
  [/name$/i, 'name'],
  [/income|salary|assets?$|savings/i, 'income'],
  [/disabilit|illness|health|medical/i, 'health'],
  [/phone|address|contact/i, 'contact'],
  [/card|bankaccount|account_number/i, 'bank_account'],
];

function walk(v: unknown, into: Set<FieldKind>, depth = 0): void {
  if (depth > 32 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) walk(x, into, depth + 1);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    const kind = KIND_OF.find(([re]) => re.test(k))?.[1];
    if (kind && x !== null && x !== undefined && x !== '') into.add(kind);
    walk(x, into, depth + 1);
  }
}

/** The kinds of personal fields in these (clear) payloads, sorted. */
export function fieldKinds(payloads: Payload[]): FieldKind[] {
  const kinds = new Set<FieldKind>();
  for (const p of payloads) {
    const encoding = Buffer.from(p.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();
    if (encoding !== 'json/plain') continue;
    try {
      walk(JSON.parse(Buffer.from(p.data ?? []).toString('utf8')), kinds);
    } catch {
      // not JSON after all: nothing to name
    }
  }
  return FIELD_KINDS.filter((k) => kinds.has(k));
}
