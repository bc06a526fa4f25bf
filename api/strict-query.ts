import type { FastifySchemaCompiler, RouteOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from './problem';

// Bad input is refused, never ignored: a query parameter the route does not define is a 400 that
// names it, so a misspelt filter (`?vilage=`) cannot answer the whole region's unfiltered list, and
// `?dryRun=true` on a step cannot be taken for a promise the API does not keep. Every route of the
// API that has a schema takes the querystring its schema declares, and none when it declares none.

/** A parameter's name is echoed only when it looks like one: a mistyped key may be an ID number (R-O7). */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** Zod's compiler for every part; the querystring's keys checked against its object's first. */
export const strictQueryCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== 'querystring') return validate;
  if (!(route.schema instanceof z.ZodObject)) {
    throw new Error(
      `${route.method} ${route.url}: a querystring schema is a z.object, so its keys are known`,
    );
  }
  const known = new Set(Object.keys(route.schema.shape));
  const detail = `Unknown query parameter; this route takes: ${[...known].join(', ') || 'none'}`;
  return (data) => {
    const unknown = Object.keys((data ?? {}) as object).filter((k) => !known.has(k));
    if (unknown.length === 0) return validate(data);
    const paths = new Set(unknown.map((k) => (NAME.test(k) ? `querystring.${k}` : 'querystring')));
    const errors = [...paths].map((path) => ({ path, message: 'not a parameter of this route' }));
    return { error: badRequest(detail, errors) };
  };
};

/** onRoute: a route that declares a schema but no querystring takes no query parameters. */
export function noQueryUnlessDeclared(route: RouteOptions): void {
  if (!route.schema || route.schema.hide || route.schema.querystring) return;
  route.schema.querystring = z.object({});
}
