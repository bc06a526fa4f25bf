import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, isEncrypted, PayloadCodecError, parsePayloadKeys } from '../../codec/payload-codec';
import { parseConfig } from '../../config/env';

// R-O7: what reaches the Temporal server is AES-256-GCM ciphertext labelled with its key id.

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const household = { name: '张三', idNumber: '140802199001011234', income: '1234.56' };
const payload = (v: unknown): Payload => defaultPayloadConverter.toPayload(v);
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');

describe('payload codec (R-O7)', () => {
  it('R-O7: round trip — encrypted on the wire, the same payload after decoding', async () => {
    const codec = new EncryptionCodec({ keys: new Map([['k1', k1]]), activeKeyId: 'k1' });
    const plain = [payload(household), payload(null), payload('x')];
    const [sealed] = await codec.encode([plain[0]!]);
    expect(isEncrypted(sealed!)).toBe(true);
    expect(text(sealed!.metadata?.encoding)).toBe('binary/encrypted');
    expect(text(sealed!.metadata?.['encryption-key-id'])).toBe('k1');
    const wire = Buffer.from(sealed!.data!).toString('latin1') + Buffer.from(sealed!.data!).toString('utf8');
    for (const v of Object.values(household)) expect(wire).not.toContain(v);
    const back = await codec.decode(await codec.encode(plain));
    expect(back.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([household, null, 'x']);
  });

  it('R-O7: a random IV per payload — the same value encrypts differently each time', async () => {
    const codec = new EncryptionCodec({ keys: new Map([['k1', k1]]), activeKeyId: 'k1' });
    const [a, b] = await codec.encode([payload(household), payload(household)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('R-O7: key rotation — the old key still decrypts, the new key encrypts', async () => {
    const old = new EncryptionCodec({ keys: new Map([['k1', k1]]), activeKeyId: 'k1' });
    const rotated = new EncryptionCodec({
      keys: new Map([
        ['k1', k1],
        ['k2', k2],
      ]),
      activeKeyId: 'k2',
    });
    const sealedOld = await old.encode([payload(household)]);
    expect((await rotated.decode(sealedOld)).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      household,
    ]);
    const [sealedNew] = await rotated.encode([payload(household)]);
    expect(text(sealedNew!.metadata?.['encryption-key-id'])).toBe('k2');
    await expect(old.decode([sealedNew!])).rejects.toThrow(/unknown payload key id k2/);
  });

  it('R-O7: a wrong key under a known id, a relabelled key id and a tampered ciphertext fail clearly', async () => {
    const codec = new EncryptionCodec({ keys: new Map([['k1', k1]]), activeKeyId: 'k1' });
    const [sealed] = await codec.encode([payload(household)]);
    const wrongKey = new EncryptionCodec({ keys: new Map([['k1', k2]]), activeKeyId: 'k1' });
    await expect(wrongKey.decode([sealed!])).rejects.toThrow(PayloadCodecError);
    await expect(wrongKey.decode([sealed!])).rejects.toThrow(/failed authentication with key k1/);

    const tampered = Buffer.from(sealed!.data!);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...sealed!, data: tampered }])).rejects.toThrow(/tampered or wrong key/);

    const both = new EncryptionCodec({
      keys: new Map([
        ['k1', k1],
        ['k2', k1],
      ]),
      activeKeyId: 'k1',
    });
    const relabelled = {
      ...sealed!,
      metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('k2') },
    };
    await expect(both.decode([relabelled])).rejects.toThrow(/failed authentication with key k2/);
    const noId = { ...sealed!, metadata: { encoding: sealed!.metadata!.encoding! } };
    await expect(codec.decode([noId])).rejects.toThrow(/without encryption-key-id/);
  });

  it('R-O7: payloads written before encryption decode unchanged (recorded and running histories)', async () => {
    const codec = new EncryptionCodec({ keys: new Map([['k1', k1]]), activeKeyId: 'k1' });
    const plain = payload(household);
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('R-O7: configuration — keys parsed and checked, the active id must exist, dev keys refused in production', () => {
    const spec = `a:${k1.toString('base64')},b:${k2.toString('base64')}`;
    expect([...parsePayloadKeys(spec).keys()]).toEqual(['a', 'b']);
    expect(() => parsePayloadKeys('a:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parsePayloadKeys('nocolon')).toThrow(/id:base64key/);
    // A deployment's own ID keys too (R-O7: no development key outside development and tests).
    const ids = { ID_KEYS: `i1:${k2.toString('base64')}`, ID_KEY_ID: 'i1' };
    const ok = parseConfig({ ...ids, PAYLOAD_KEYS: spec, PAYLOAD_KEY_ID: 'b' });
    expect(ok.PAYLOAD_KEY_ID).toBe('b');
    expect(() => parseConfig({ ...ids, PAYLOAD_KEYS: spec, PAYLOAD_KEY_ID: 'c' })).toThrow(/PAYLOAD_KEY_ID/);
    expect(() => parseConfig({ ...ids, PAYLOAD_KEYS: 'a:c2hvcnQ=' })).toThrow(/PAYLOAD_KEYS/);
    const prod = { NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks.json', ...ids };
    expect(() => parseConfig(prod)).toThrow(/PAYLOAD_KEYS: must be set/);
    expect(parseConfig({ ...prod, PAYLOAD_KEYS: spec, PAYLOAD_KEY_ID: 'a' }).PAYLOAD_KEYS.size).toBe(2);
  });
});
