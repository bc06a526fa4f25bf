import { createSigner } from 'fast-jwt';
import { z } from 'zod';
import { claimsSchema } from '../api/plugins/auth';
import { parseConfig } from '../config/env';

// Prints a bearer token for local use:  npm run token -- <role> <region> [sub] [hours]
// e.g. npm run token -- township_staff 140802101 clerk-1
const [role = 'admin', region = '14', sub = `${role}-local`, hours = '12'] = process.argv.slice(2);
const config = parseConfig();
const claims = claimsSchema.safeParse({ sub, role, region });
if (!claims.success) {
  console.error(`bad claims: ${z.prettifyError(claims.error)}`);
  process.exit(1);
}
const sign = createSigner({
  key: config.JWT_SECRET,
  iss: config.JWT_ISSUER,
  expiresIn: Number(hours) * 3_600_000,
});
console.log(sign(claims.data));
