import { z } from 'zod';
import { parsePayloadKeys } from '../codec/payload-codec';
import { ID_KEY_ID_PATTERN, type IdKeys } from '../domain/keyed-id';

// The single place the environment is read. Defaults fit the embedded setup started by
// scripts/start.sh (private Postgres on 55432, Temporal dev server on 7233).
const DEV_JWT_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';
// R-O7: payload encryption key for development only ("dibao-dev-only-payload-key-00001").
const DEV_PAYLOAD_KEYS = 'dev-1:ZGliYW8tZGV2LW9ubHktcGF5bG9hZC1rZXktMDAwMDE=';
const DEV_PAYLOAD_KEY = Buffer.from('dibao-dev-only-payload-key-00001');
// R-O7: the keyed-id (HMAC) key for development only ("dibao-dev-only-id-hmac-key-00001").
const DEV_ID_KEYS = 'dev1:ZGliYW8tZGV2LW9ubHktaWQtaG1hYy1rZXktMDAwMDE=';
const DEV_ID_KEY = Buffer.from('dibao-dev-only-id-hmac-key-00001');

const port = z.coerce.number().int().min(1).max(65535);
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
/** A duration like `10s`, `500ms`, `2m` or `12h`, as milliseconds. */
const durationMs = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, 'must be a duration like 10s')
  .transform((v) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h)$/.exec(v)!;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });
/** R-O7: the development secret and key are known to everybody: only these may use them. */
const DEVELOPMENT = ['development', 'test'];

export const envSchema = z
  .object({
    /**
     * R-O7: unset or `production` is a deployment (fail closed: its own secrets are required);
     * scripts/start.sh says `development`, the test command `test`.
     */
    NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
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
    /**
     * The proxies whose X-Forwarded-* headers the API believes (a TLS-terminating load balancer):
     * `false`, `true`, a hop count, or comma-separated addresses/CIDRs (Fastify's trustProxy).
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v): boolean | number | string =>
        v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
      ),
    /** HS256 shared secret: development and tests only (a deployment verifies by JWT_JWKS_URL). */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_ISSUER: z.string().min(1).default('dibao'),
    /** R-O7: the key of the audit's digest of a person's ID number (default: derived from JWT_SECRET). */
    PERSON_DIGEST_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * R-O7: the identity provider's published keys (JWKS; RS256/ES256): https:// or http://, or a
     * file:// an operator distributes. The API then holds no signing secret.
     */
    JWT_JWKS_URL: z
      .url()
      .refine((u) => /^(https?|file):/.test(u), 'must be an https://, http:// or file:// URL')
      .optional(),
    /** The token's audience (`aud`) when the identity provider sets one. */
    JWT_AUDIENCE: z.string().min(1).optional(),
    /** Longest accepted token lifetime (`exp` − `iat`); a token without `exp` is refused. */
    JWT_MAX_LIFETIME: durationMs.default(12 * 3_600_000),
    /** Clock skew allowed between the identity provider and the API on `exp`, `nbf`, `iat`. */
    JWT_CLOCK_SKEW: durationMs.default(60_000),
    /**
     * R-O7: AES-256 keys of the payload codec, `id:base64key` comma-separated (32 bytes each). Every
     * listed key decrypts (rotation); PAYLOAD_KEY_ID names the one that encrypts.
     */
    PAYLOAD_KEYS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        try {
          return parsePayloadKeys(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    PAYLOAD_KEY_ID: z.string().min(1).optional(),
    /**
     * R-O7: HMAC keys of the ids derived from a person (register keys, imported case ids, request
     * tokens), `id:base64key` comma-separated (32 bytes each, ids of letters and digits). Every
     * listed key is tried by lookups (rotation); ID_KEY_ID names the one that makes new ids.
     */
    ID_KEYS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        try {
          const keys = parsePayloadKeys(v);
          for (const id of keys.keys())
            if (!ID_KEY_ID_PATTERN.test(id)) throw new Error(`key id ${id} must be 1–16 letters or digits`);
          return keys;
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    ID_KEY_ID: z.string().min(1).optional(),
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
    /**
     * R-O7: days copies kept for technical reasons live (replayed API answers, imported households
     * once the import is done); the worker's Schedule `retention-daily` purges what is older.
     */
    RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
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
    /**
     * Cases an import keeps waiting for the workers' first task at most (activities/import-pace.ts):
     * past it the import starts no more until they catch up, so the task queue stays short for the
     * township's own work beside an import. 0 = no bound.
     */
    IMPORT_WAITING_CASES: z.coerce.number().int().min(0).default(20),
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
  .transform((env, ctx) => {
    // R-O7: fail closed — the development secret and key only where NODE_ENV says so explicitly.
    const dev = DEVELOPMENT.includes(env.NODE_ENV ?? '');
    const refuse = (path: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
      return z.NEVER;
    };
    const payloadKeys = env.PAYLOAD_KEYS ?? (dev ? parsePayloadKeys(DEV_PAYLOAD_KEYS) : undefined);
    const payloadKeyId = env.PAYLOAD_KEY_ID ?? (env.PAYLOAD_KEYS ? undefined : 'dev-1');
    if (!payloadKeys) return refuse('PAYLOAD_KEYS', 'must be set (NODE_ENV is not development or test)');
    if (!dev && [...payloadKeys.values()].some((k) => k.equals(DEV_PAYLOAD_KEY)))
      return refuse('PAYLOAD_KEYS', 'the development key is refused unless NODE_ENV is development or test');
    if (!payloadKeyId || !payloadKeys.has(payloadKeyId))
      return refuse('PAYLOAD_KEY_ID', 'must name a key of PAYLOAD_KEYS');
    const idKeys = env.ID_KEYS ?? (dev ? parsePayloadKeys(DEV_ID_KEYS) : undefined);
    const idKeyId = env.ID_KEY_ID ?? (env.ID_KEYS ? undefined : 'dev1');
    if (!idKeys) return refuse('ID_KEYS', 'must be set (NODE_ENV is not development or test)');
    if (!dev && [...idKeys.values()].some((k) => k.equals(DEV_ID_KEY)))
      return refuse('ID_KEYS', 'the development key is refused unless NODE_ENV is development or test');
    if (!idKeyId || !idKeys.has(idKeyId)) return refuse('ID_KEY_ID', 'must name a key of ID_KEYS');
    if (!dev && env.JWT_SECRET === DEV_JWT_SECRET)
      return refuse('JWT_SECRET', 'the development secret is refused unless NODE_ENV is development or test');
    if (!dev && env.JWT_SECRET)
      return refuse(
        'JWT_SECRET',
        "a deployment verifies its identity provider's tokens: set JWT_JWKS_URL, not a secret",
      );
    if (env.JWT_SECRET && env.JWT_JWKS_URL)
      return refuse('JWT_SECRET', 'give JWT_SECRET or JWT_JWKS_URL, not both');
    return {
      ...env,
      PAYLOAD_KEYS: payloadKeys,
      PAYLOAD_KEY_ID: payloadKeyId,
      ID_KEYS: idKeys,
      ID_KEY_ID: idKeyId,
      // HS256 with the development secret only where nothing else is configured (development, tests).
      JWT_SECRET: env.JWT_SECRET ?? (dev && !env.JWT_JWKS_URL ? DEV_JWT_SECRET : undefined),
    };
  });

export type Config = z.infer<typeof envSchema>;

/** R-O7: the keys of the ids derived from a person (domain/keyed-id.ts). */
export const idKeysOf = (c: Config): IdKeys => ({ keys: c.ID_KEYS, currentKeyId: c.ID_KEY_ID });

/**
 * The secret the API derives its own keys from (list cursors, the audit's person digest): the
 * HS256 secret in development and tests, else the current ID key — a deployment verifying by
 * JWT_JWKS_URL holds no JWT_SECRET (R-O7).
 */
export const derivationSecretOf = (c: Config): string | Buffer => c.JWT_SECRET ?? c.ID_KEYS.get(c.ID_KEY_ID)!;

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
