import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config/env';
import { EncryptionCodec } from './payload-codec';

export { EncryptionCodec, isEncrypted, PayloadCodecError, parsePayloadKeys } from './payload-codec';

/** R-O7: the codec of the configured keys (PAYLOAD_KEYS, PAYLOAD_KEY_ID). */
export function payloadCodec(config: Pick<Config, 'PAYLOAD_KEYS' | 'PAYLOAD_KEY_ID'>): EncryptionCodec {
  return new EncryptionCodec({ keys: config.PAYLOAD_KEYS, activeKeyId: config.PAYLOAD_KEY_ID });
}

/**
 * The data converter every client and worker of the project is built with (R-O7). Search
 * attributes are not payload-coded by Temporal: they carry only codes, stages, dates and flags.
 */
export function dataConverter(config: Pick<Config, 'PAYLOAD_KEYS' | 'PAYLOAD_KEY_ID'>): DataConverter {
  return { payloadCodecs: [payloadCodec(config)] };
}
