import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorsPlugin } from '../../api/plugins/errors';
import { noQueryUnlessDeclared, strictQueryCompiler } from '../../api/strict-query';

// Bad input is refused, not ignored: the query parameters a route takes are the keys of its
// querystring schema, and none when it declares none. No server: a bare Fastify with the API's
// compiler, its onRoute hook and its error handler.

let app: FastifyInstance;
let served = 0;

beforeAll(async () => {
  app = Fastify();
  app.setValidatorCompiler(strictQueryCompiler);
  app.addHook('onRoute', noQueryUnlessDeclared);
  await app.register(errorsPlugin);
  const listQuery = z.object({
    village: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    limit: z.coerce.number().default(50),
  });
  app.get('/list', { schema: { querystring: listQuery } }, async (req) => {
    served++;
    return req.query;
  });
  app.post('/step', { schema: { body: z.object({ note: z.string() }) } }, async () => {
    served++;
    return { ok: true };
  });
  app.get('/hidden', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/plain', async () => ({ ok: true }));
});
afterAll(async () => {
  await app?.close();
});

const errorsOf = (res: { json(): unknown }) =>
  (res.json() as { errors: { path: string; message: string }[] }).errors;

describe('query parameters a route does not declare', () => {
  it('a misspelt filter is a 400 naming it, and the handler never runs', async () => {
    const before = served;
    const res = await app.inject({ url: '/list?vilage=110101001001' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(errorsOf(res)).toEqual([{ path: 'querystring.vilage', message: 'not a parameter of this route' }]);
    expect(res.json().detail).toContain('village, limit');
    expect(served).toBe(before);
  });

  it('the declared parameters still validate and coerce', async () => {
    const ok = await app.inject({ url: '/list?village=110101001001&limit=7' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ village: '110101001001', limit: 7 });
    const bad = await app.inject({ url: '/list?village=1' });
    expect(bad.statusCode).toBe(400);
    expect(errorsOf(bad).map((e) => e.path)).toEqual(['querystring.village']);
  });

  it('R-O7: a key that is not shaped like a parameter name is not echoed', async () => {
    const res = await app.inject({ url: '/list?110101199003071234=1&%E5%BC%A0%E4%B8%89=2' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('110101199003071234');
    expect(res.body).not.toContain('张三');
    expect(errorsOf(res)).toEqual([{ path: 'querystring', message: 'not a parameter of this route' }]);
  });

  it('a route with a schema and no querystring takes no query parameters', async () => {
    const before = served;
    const res = await app.inject({ method: 'POST', url: '/step?dryRun=true', payload: { note: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(errorsOf(res)).toEqual([{ path: 'querystring.dryRun', message: 'not a parameter of this route' }]);
    expect(res.json().detail).toContain('takes: none');
    expect(served).toBe(before);
    const ok = await app.inject({ method: 'POST', url: '/step', payload: { note: 'x' } });
    expect(ok.statusCode).toBe(200);
  });

  it('hidden and schema-less routes (documentation, static files) are left as they are', async () => {
    expect((await app.inject({ url: '/hidden?v=1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/plain?v=1' })).statusCode).toBe(200);
  });

  it('a querystring schema that is not an object is refused when the route is declared', async () => {
    const other = Fastify();
    other.setValidatorCompiler(strictQueryCompiler);
    other.get('/x', { schema: { querystring: z.string() } }, async () => 'x');
    await expect(other.ready()).rejects.toThrow(/querystring schema is a z.object/);
    await other.close();
  });
});
