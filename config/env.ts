import { z } from 'zod';
import { parsePayloadKeys } from '../codec/payload-codec';

// The single place the environment is read. Defaults fit the embedded setup started by
// scripts/start.sh (private Postgres on 55432, Temporal dev server on 7233).
const DEV_JWT_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';
// R-O7: payload encryption key for development only ("dibao-dev-only-payload-key-00001").
const DEV_PAYLOAD_KEYS = 'dev-1:ZGliYW8tZGV2LW9ubHktcGF5bG9hZC1rZXktMDAwMDE=';
const DEV_PAYLOAD_KEY = Buffer.from('dibao-dev-only-payload-key-00001');

const port = z.coerce.number().int().min(1).max(65535);
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;
/** A duration like `10s`, `500ms` or `2m`, as milliseconds. */
const durationMs = z
  .string()
  .regex(/^\d+(ms|s|m)$/, 'must be a duration like 10s')
  .transform((v) => {
    const [, n, unit] = /^(\d+)(ms|s|m)$/.exec(v)!;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port')
      .default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('dibao'),
    TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .default('postgres://postgres@127.0.0.1:55432/dibao'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    HTTP_PORT: port.default(3000),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    JWT_ISSUER: z.string().min(1).default('dibao'),
    /** R-O7: the key of the audit's digest of a person's ID number (default: derived from JWT_SECRET). */
    PERSON_DIGEST_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * R-O7: AES-256 keys of the payload codec, `id:base64key` comma-separated (32 bytes each). Every
     * listed key decrypts (rotation); PAYLOAD_KEY_ID names the one that encrypts.
     */
    PAYLOAD_KEYS: z
      .string()
      .default(DEV_PAYLOAD_KEYS)
      .transform((v, ctx) => {
        try {
          return parsePayloadKeys(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    PAYLOAD_KEY_ID: z.string().min(1).default('dev-1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PAYMENT_FILES_DIR: z.string().min(1).default('.data/payment-files'),
    /** Where Debian's fonts-noto-cjk puts Noto Serif CJK, the font of the printed notices (R-A7, R-M9). */
    NOTICE_FONT_DIR: z.string().min(1).default('/usr/share/fonts/opentype/noto'),
    WORKER_SHUTDOWN_GRACE: z
      .string()
      .regex(/^\d+(ms|s|m)$/, 'must be a duration like 30s')
      .default('30s'),
    /** The API's own deadline for every Temporal call; past it the answer is 503 with Retry-After. */
    TEMPORAL_CALL_TIMEOUT: durationMs.default(10_000),
    /** Reads ask the workflow first and fall back to the read model past this deadline. */
    TEMPORAL_QUERY_TIMEOUT: durationMs.default(3_000),
    /** An Idempotency-Key whose request has run this long without an answer may be run again. */
    IDEMPOTENCY_TIMEOUT: durationMs.default(30_000),
    /** Largest request body in bytes (routes may set their own, e.g. integration batches); past it 413. */
    BODY_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /** Requests per token subject (or per address without a valid token) in RATE_LIMIT_WINDOW; past it 429. */
    RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_WINDOW: durationMs.default(60_000),
    /**
     * Worker sizing (worker/tuning.ts): the sticky cache in workflows (default: what the heap
     * holds at WORKER_CACHED_WORKFLOW_MB each), the V8 context model and the workflow threads,
     * and how many workflow tasks and activities run at once (the payroll's bulk activities
     * take a database connection each: keep WORKER_MAX_ACTIVITIES within DATABASE_POOL_MAX).
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
    WORKER_CACHED_WORKFLOW_MB: z.coerce.number().positive().default(1),
    WORKER_REUSE_V8_CONTEXT: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(16).default(1),
    WORKER_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
    WORKER_MAX_ACTIVITIES: z.coerce.number().int().min(1).optional(),
    /**
     * Stack frames captured in the workflow sandbox (workflows/sandbox.ts): every promise a workflow
     * creates captures its stack for the SDK's stack-trace query. Default 4 in production, else V8's 10.
     */
    WORKER_WORKFLOW_STACK_FRAMES: z.coerce.number().int().min(0).max(100).optional(),
    /** Caseload uploads read and validated at once, each in an import thread of the API (api/import-threads.ts). */
    IMPORT_THREADS: z.coerce.number().int().min(1).max(8).default(1),
    /** Uploads that wait for an import thread; past them an upload is a 503 with Retry-After. */
    IMPORT_QUEUE: z.coerce.number().int().min(0).max(64).default(2),
    /** Address of the /metrics listeners (no token: loopback, or a network only the scraper reaches). */
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** The API's GET /metrics on a port of its own; 0 = off. */
    API_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    /** The worker's GET /metrics; 0 = off. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    /** The Temporal SDK's Prometheus exporter, on loopback; the worker's /metrics includes it. 0 = off. */
    WORKER_SDK_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production' });
    }
    if (
      env.NODE_ENV === 'production' &&
      [...env.PAYLOAD_KEYS.values()].some((k) => k.equals(DEV_PAYLOAD_KEY))
    ) {
      ctx.addIssue({ code: 'custom', path: ['PAYLOAD_KEYS'], message: 'must be set in production' });
    }
    if (!env.PAYLOAD_KEYS.has(env.PAYLOAD_KEY_ID)) {
      ctx.addIssue({ code: 'custom', path: ['PAYLOAD_KEY_ID'], message: 'must name a key of PAYLOAD_KEYS' });
    }
  });

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return result.data;
}

/** For process entries: a bad configuration prints what is wrong and exits 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
