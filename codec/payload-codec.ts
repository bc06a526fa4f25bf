import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  type DataConverter,
  METADATA_ENCODING_KEY,
  type Payload,
  type PayloadCodec,
  type SerializationContext,
} from '@temporalio/common';
import proto from '@temporalio/proto';
import { type PayloadScope, scopeOf } from './payload-scope';

// R-O7: personal data never in clear in the workflow engine's history. Every payload the SDK sends
// (workflow input, Update arguments and results, activity input and output, queries, memos…) is
// sealed with AES-256-GCM before it reaches the server. The codec runs in the client and in the
// worker outside the workflow sandbox, so workflow code stays deterministic (Temporal constraint:
// codecs are applied by the worker around the sandbox, never inside it).

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** R-O7: the county and the workflow a payload belongs to (payload-scope.ts), bound in the AEAD. */
export const REGION_METADATA = 'payload-region';
export const WORKFLOW_METADATA = 'payload-workflow';
const { Payload: PayloadProto } = proto.temporal.api.common.v1;
const IV_BYTES = 12; // GCM's standard nonce size, random per payload
const TAG_BYTES = 16;

const text = new TextEncoder();
const decodeText = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/** A payload codec refused a payload: names the key id, never the content. */
export class PayloadCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadCodecError';
  }
}

export interface PayloadKeys {
  /** Every key that may still decrypt (key rotation: old keys stay until no history needs them). */
  keys: ReadonlyMap<string, Buffer>;
  /** The key that encrypts from now on. */
  activeKeyId: string;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly k: PayloadKeys) {
    if (!k.keys.has(k.activeKeyId))
      throw new PayloadCodecError(`active key ${k.activeKeyId} is not configured`);
    for (const [id, key] of k.keys) {
      if (key.length !== 32) throw new PayloadCodecError(`key ${id} must be 32 bytes (AES-256)`);
    }
  }

  /** R-O7: sealed with the region and workflow of the context (the SDK's serialization context). */
  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const scope = scopeOf(context);
    return payloads.map((p) => this.seal(p, scope));
  }

  /** Payloads written before encryption (recorded histories, running workflows) pass unchanged. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (isEncrypted(p) ? this.open(p).payload : p));
  }

  /**
   * R-O7: an encrypted payload opened with the scope it was sealed with (authenticated: a payload
   * relabelled with another region or workflow fails); a clear payload has no scope.
   */
  openScoped(payload: Payload): { payload: Payload; scope: PayloadScope; encrypted: boolean } {
    if (!isEncrypted(payload)) return { payload, scope: {}, encrypted: false };
    return { ...this.open(payload), encrypted: true };
  }

  private seal(payload: Payload, scope: PayloadScope): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.k.keys.get(this.k.activeKeyId)!, iv);
    // The key id, region and workflow are bound as associated data: a payload relabelled with
    // another key id, region or workflow (or stripped of them) fails to open.
    cipher.setAAD(associatedData(this.k.activeKeyId, scope));
    const plain = PayloadProto.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: text.encode(this.k.activeKeyId),
        ...(scope.region ? { [REGION_METADATA]: text.encode(scope.region) } : {}),
        ...(scope.workflowId ? { [WORKFLOW_METADATA]: text.encode(scope.workflowId) } : {}),
      },
      data: sealed,
    };
  }

  private open(payload: Payload): { payload: Payload; scope: PayloadScope } {
    const scope: PayloadScope = {
      region: decodeText(payload.metadata?.[REGION_METADATA]),
      workflowId: decodeText(payload.metadata?.[WORKFLOW_METADATA]),
    };
    const keyId = decodeText(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId) throw new PayloadCodecError(`encrypted payload without ${KEY_ID_METADATA}`);
    const key = this.k.keys.get(keyId);
    if (!key) throw new PayloadCodecError(`unknown payload key id ${keyId} (not in PAYLOAD_KEYS)`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadCodecError(`encrypted payload too short (key ${keyId})`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(keyId, scope));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadCodecError(`payload failed authentication with key ${keyId} (tampered or wrong key)`);
    }
    const inner = PayloadProto.decode(plain);
    return { payload: { metadata: inner.metadata, data: inner.data }, scope };
  }
}

/** The key id alone for a payload of no scope (as every payload sealed before regions). */
function associatedData(keyId: string, scope: PayloadScope): Uint8Array {
  if (!scope.region && !scope.workflowId) return text.encode(keyId);
  return text.encode(`${keyId}\u0000${scope.region ?? ''}\u0000${scope.workflowId ?? ''}`);
}

export function isEncrypted(p: Payload): boolean {
  return decodeText(p.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

/** `id:base64key,id:base64key` (PAYLOAD_KEYS) as a map; throws naming the bad entry. */
export function parsePayloadKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    const b64 = entry.slice(at + 1);
    if (at < 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64))
      throw new Error(`entry "${id || entry.slice(0, 8)}…" must be id:base64key`);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new Error(`key ${id} must decode to 32 bytes, got ${key.length}`);
    if (keys.has(id)) throw new Error(`key ${id} given twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('at least one key is needed');
  return keys;
}

/** The keys the codec is built with (config/env.ts parses them from PAYLOAD_KEYS, PAYLOAD_KEY_ID). */
export type KeyConfig = { PAYLOAD_KEYS: ReturnType<typeof parsePayloadKeys>; PAYLOAD_KEY_ID: string };

/** R-O7: the codec of the configured keys (PAYLOAD_KEYS, PAYLOAD_KEY_ID). */
export function payloadCodec(config: KeyConfig): EncryptionCodec {
  return new EncryptionCodec({ keys: config.PAYLOAD_KEYS, activeKeyId: config.PAYLOAD_KEY_ID });
}

/**
 * The data converter every client and worker of the project is built with (R-O7). Search
 * attributes are not payload-coded by Temporal: they carry only codes, stages, dates and flags.
 */
export function dataConverter(config: KeyConfig): DataConverter {
  return { payloadCodecs: [payloadCodec(config)] };
}
