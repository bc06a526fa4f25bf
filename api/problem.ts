import { z } from 'zod';

// RFC 9457 problem details: the one error shape of the API.
export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('The offending fields of a 400'),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

const TYPE_BASE = 'https://dibao.example/problems/';

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problemType: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers that belong to the problem (Retry-After of a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'ProblemError';
  }

  toProblem(instance?: string): Problem {
    return {
      type: TYPE_BASE + this.problemType,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...this.extra,
    };
  }
}

export const badRequest = (detail: string, errors?: { path: string; message: string }[]) =>
  new ProblemError(400, 'validation', 'Invalid request', detail, errors ? { errors } : {});
export const unauthorized = (detail = 'A valid bearer token is required') =>
  new ProblemError(401, 'unauthorized', 'Unauthorized', detail);
export const forbidden = (detail: string) => new ProblemError(403, 'forbidden', 'Forbidden', detail);
export const notFound = (detail: string) => new ProblemError(404, 'not-found', 'Not found', detail);
export const conflict = (problemType: string, detail: string, extra: Record<string, unknown> = {}) =>
  new ProblemError(409, problemType, 'Conflict', detail, extra);

/** The server behind the API is away (Temporal, Postgres) or slower than the API's deadline; retry. */
export const unavailable = (detail: string, retryAfterSeconds = 5) =>
  new ProblemError(
    503,
    'unavailable',
    'Service Unavailable',
    detail,
    {},
    {
      'retry-after': String(retryAfterSeconds),
    },
  );

/** An error response as the OpenAPI document declares it: problem+json, never application/json. */
const problemContent = { content: { 'application/problem+json': { schema: problemSchema } } } as const;

/**
 * Response map entries every route shares, so OpenAPI lists them: validation, the guard, reach,
 * conflicts, body and path limits, the rate limit, our failure and the services behind the API.
 */
export const problemResponses = {
  400: problemContent,
  401: problemContent,
  403: problemContent,
  404: problemContent,
  409: problemContent,
  413: problemContent,
  414: problemContent,
  422: problemContent,
  429: problemContent,
  500: problemContent,
  503: problemContent,
} as const;
