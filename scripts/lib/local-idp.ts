import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSigner } from 'fast-jwt';

// A stand-in for the province's identity provider where no real one is (scripts/cluster.sh and
// its test pass): an RSA key pair kept with the cluster's data, its public half published as a
// JWKS file the APIs verify by (JWT_JWKS_URL=file://…), the private half only for
// scripts/token.ts and the tests (JWT_SIGNING_KEY_FILE), never given to an API (R-O7).

export const LOCAL_IDP_KID = 'local-idp-1';

export interface LocalIdp {
  jwksUrl: string;
  signingKeyFile: string;
}

export function ensureLocalIdp(dir: string): LocalIdp {
  const signingKeyFile = join(dir, 'idp-signing-key.pem');
  const jwksFile = join(dir, 'idp-jwks.json');
  if (!existsSync(signingKeyFile)) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(signingKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    chmodSync(signingKeyFile, 0o600);
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: LOCAL_IDP_KID, alg: 'RS256', use: 'sig' };
    writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  }
  return { jwksUrl: pathToFileURL(jwksFile).href, signingKeyFile };
}

/** A token of the local identity provider (RS256, its kid), `hours` long. */
export function signLocal(
  signingKeyFile: string,
  issuer: string,
  claims: Record<string, string>,
  hours = 1,
): string {
  const key = createPrivateKey(readFileSync(signingKeyFile)).export({ type: 'pkcs8', format: 'pem' });
  return createSigner({
    key: key.toString(),
    algorithm: 'RS256',
    kid: LOCAL_IDP_KID,
    iss: issuer,
    expiresIn: hours * 3_600_000,
  })(claims);
}
