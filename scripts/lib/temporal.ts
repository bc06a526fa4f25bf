import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from '../../workflows/contracts/search-attributes';
import { type Proc, startProc, waitFor } from './procs';

// The Temporal dev server (the CLI's embedded server: real server, SQLite store), built by
// scripts/install.sh into .tools/bin. The SDK's own download cannot work offline, so we start it.

export const TOOLS_DIR = join(import.meta.dirname, '..', '..', '.tools');
export const TEMPORAL_BIN = join(TOOLS_DIR, 'bin', 'temporal');

export interface DevServer {
  address: string;
  uiUrl?: string;
  proc: Proc;
  stop(): Promise<void>;
}

export async function startDevServer(opts: {
  port: number;
  uiPort?: number;
  /** SQLite file; in memory when absent. */
  dbFile?: string;
  logFile?: string;
  /** R-O7: the codec server the UI asks to decode payloads (the API's /codec); UI only. */
  codecEndpoint?: string;
}): Promise<DevServer> {
  if (!existsSync(TEMPORAL_BIN)) throw new Error('Temporal CLI missing: run scripts/install.sh temporal');
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    'default',
    '--log-level',
    'warn',
    ...searchAttributeFlags(),
  ];
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  if (opts.uiPort) {
    args.push('--ui-port', String(opts.uiPort));
    if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  } else args.push('--headless');
  const proc = startProc('temporal', TEMPORAL_BIN, args, { logFile: opts.logFile });
  const address = `127.0.0.1:${opts.port}`;
  await waitFor(
    `Temporal dev server on ${address}`,
    async () => {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.describeNamespace({ namespace: 'default' });
        return true;
      } finally {
        await conn.close();
      }
    },
    { timeoutMs: 90_000, proc, intervalMs: 500 },
  );
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    proc,
    stop: () => proc.stop('SIGTERM', 20_000),
  };
}
