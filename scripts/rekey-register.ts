import { Client, Connection } from '@temporalio/client';
import { rekeyRegister } from '../clients/register-rekey';
import { dataConverter } from '../codec/payload-codec';
import { idKeysOf, loadConfigOrExit } from '../config/env';
import { createPool } from '../db/pool';
import { createRepositories } from '../db/repositories';

// R-O7: moves every running register entry named by a reversible key to a keyed id (deploy/README.md
// "Re-keying the register"). With the deployment's environment (ID_KEYS, PAYLOAD_KEYS, DATABASE_URL,
// TEMPORAL_*), once the new worker runs:   npx tsx scripts/rekey-register.ts <admin sub> <admin region>
const [by, region] = process.argv.slice(2);
if (!by || !region) {
  console.error('usage: tsx scripts/rekey-register.ts <sub> <region> (the administrator running it, R-O6)');
  process.exit(2);
}
const config = loadConfigOrExit();
const pool = createPool(config.DATABASE_URL, 2);
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const client = new Client({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  dataConverter: dataConverter(config),
});
try {
  const report = await rekeyRegister(client, createRepositories(pool), idKeysOf(config), {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    by: { sub: by, role: 'admin', region },
  });
  console.log(`[rekey] moved ${report.moved} register entries; still on their way: ${report.pending.length}`);
  for (const id of report.pending) console.log(`  ${id}`);
  process.exitCode = report.pending.length ? 1 : 0;
} finally {
  await connection.close();
  await pool.end();
}
