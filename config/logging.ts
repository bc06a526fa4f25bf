import pino, { type DestinationStream, type LoggerOptions } from 'pino';

// R-O7: names, ID numbers, bank cards, incomes, health and disability are sensitive personal
// information and never reach a log in clear. Every logger of the project (API, worker, scripts)
// is built from these options; request logs carry method, route and status, never a body.

const PERSONAL_KEYS = [
  'name',
  'names',
  'surname',
  'addressee',
  'idNumber',
  'id_number',
  'idNumbers',
  'cardNumber',
  'card_number',
  'monthlyIncome',
  'monthlyAmount',
  'perCapitaIncome',
  'incomes',
  'assets',
  'rigidExpenses',
  'household',
  'members',
  'seriousIllness',
  'disability',
  'disabilities',
  'summary',
  // R-O4: a named complainant (name, phone)
  'complainant',
  'complainantName',
  'complainantPhone',
  'phone',
];

/** Redacted paths: each personal key at the top level and up to three levels deep. */
export const REDACT_PATHS = [
  'req.body',
  'request.body',
  'body',
  'payload',
  'args',
  'input',
  'req.headers.authorization',
  'req.headers.cookie',
  ...PERSONAL_KEYS.flatMap((k) => [...(k === 'name' ? [] : [k]), `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
];

export const REDACT_CENSOR = '[redacted]';

// An ID number (GB 11643, 18 characters) or a bank card number (16–19 digits) inside free text,
// e.g. an error message naming the person already enrolled (R-A1).
const ID_OR_CARD = /(?<!\d)(\d{17}[\dXx]|\d{16,19})(?!\d)/g;

/** Free text with ID and card numbers masked. */
export const scrub = (text: string): string => text.replace(ID_OR_CARD, '[id]');

const scrubError = (err: Error) => {
  const out = pino.stdSerializers.err(err);
  return { ...out, message: scrub(out.message ?? ''), stack: out.stack ? scrub(out.stack) : undefined };
};

export function loggerOptions(level: string, name?: string): LoggerOptions {
  return {
    level,
    ...(name ? { name } : {}),
    redact: { paths: REDACT_PATHS, censor: REDACT_CENSOR },
    serializers: {
      // Method, route and address only: no body, no query string (a village or ID could be in it).
      req: (req: { method?: string; url?: string; routeOptions?: { url?: string }; ip?: string }) => ({
        method: req.method,
        url: req.routeOptions?.url ?? req.url?.split('?')[0],
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: scrubError,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
}

/** A pino logger with the project's redaction, for the worker and scripts. */
export function createLogger(level: string, name?: string, stream?: DestinationStream): pino.Logger {
  return stream ? pino(loggerOptions(level, name), stream) : pino(loggerOptions(level, name));
}
