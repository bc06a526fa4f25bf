import { createSigner } from 'fast-jwt';
import { z } from 'zod';
import { claimsSchema } from '../api/plugins/auth';
import { parseConfig } from '../config/env';
import { signLocal } from './lib/local-idp';

// Prints a bearer token for local use:  npm run token -- <role> <region> [sub] [hours]
// e.g. npm run token -- township_staff 140802101 clerk-1
// With JWT_SIGNING_KEY_FILE (scripts/cluster.sh's local identity provider, .data/cluster/secrets.env)
// it signs RS256 with that key; otherwise HS256 with JWT_SECRET (development: its default).
const [role = 'admin', region = '14', sub = `${role}-local`, hours = '8'] = process.argv.slice(2);
const config = parseConfig({ NODE_ENV: 'development', ...process.env });
const claims = claimsSchema.safeParse({ sub, role, region });
if (!claims.success) {
  console.error(`bad claims: ${z.prettifyError(claims.error)}`);
  process.exit(1);
}
const keyFile = process.env.JWT_SIGNING_KEY_FILE;
if (keyFile) {
  console.log(signLocal(keyFile, config.JWT_ISSUER, claims.data, Number(hours)));
} else if (config.JWT_SECRET) {
  const sign = createSigner({
    key: config.JWT_SECRET,
    iss: config.JWT_ISSUER,
    expiresIn: Number(hours) * 3_600_000,
  });
  console.log(sign(claims.data));
} else {
  console.error(
    'no JWT_SECRET nor JWT_SIGNING_KEY_FILE: a deployment gets its tokens from the identity provider',
  );
  process.exit(1);
}
