// The entry of an import thread (api/import-threads.ts). Node 20 does not pass the API's TypeScript
// loader on to worker threads, so the thread loads its TypeScript through tsx's API.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
