import { scrub } from '../config/logging';
import { APP_LOGIN, appLogin } from './lib/postgres';

// R-O7 least privilege, for a deployment (docker-compose's migrate job, deploy/README.md "Database
// roles"): after the migrations, as the owner (DATABASE_URL), creates the app's login `dibao_api`
// in `dibao_app` if it is missing and sets its password from APP_DB_PASSWORD. Idempotent: every
// `up` sets the password again, so rotating it is changing the variable and restarting the stack.
//   DATABASE_URL=postgres://owner:…@host/dibao APP_DB_PASSWORD=… npx tsx scripts/app-login.ts

const owner = process.env.DATABASE_URL;
const password = process.env.APP_DB_PASSWORD;
if (!owner || !password) {
  console.error('[app-login] DATABASE_URL (the owner) and APP_DB_PASSWORD are required');
  process.exit(2);
}
try {
  await appLogin(owner, password);
  console.log(`[app-login] ${APP_LOGIN} is ready (a member of dibao_app)`);
} catch (err) {
  console.error(`[app-login] failed: ${scrub((err as Error).message)}`);
  process.exit(1);
}
