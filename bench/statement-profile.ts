import type pg from 'pg';

// Where the payroll's time goes, statement by statement: a pool whose queries (on the pool and on
// its clients) are timed from the client, grouped by the statement's first words. Round trips
// included, so the sum is close to the payroll's wall time; triggers count in their statement.

interface Entry {
  calls: number;
  ms: number;
}

const keyOf = (sql: unknown) =>
  typeof sql === 'string'
    ? sql.replace(/\s+/g, ' ').trim().slice(0, 70)
    : String((sql as { text?: string })?.text ?? 'cursor/copy').slice(0, 70);

export function profiledPool(pool: pg.Pool) {
  const stats = new Map<string, Entry>();
  const timed = (query: (...a: unknown[]) => unknown) =>
    function (this: unknown, sql: unknown, ...rest: unknown[]) {
      const t0 = performance.now();
      const result = query(sql, ...rest);
      if (!(result instanceof Promise)) return result; // a submittable (COPY stream): not timed here
      const done = () => {
        const e = stats.get(keyOf(sql)) ?? { calls: 0, ms: 0 };
        e.calls++;
        e.ms += performance.now() - t0;
        stats.set(keyOf(sql), e);
      };
      return result.finally(done);
    };
  const proxy = new Proxy(pool, {
    get(target, prop) {
      if (prop === 'query') return timed(target.query.bind(target) as (...a: unknown[]) => unknown);
      if (prop === 'connect')
        return async () => {
          const client = await target.connect();
          const raw = (client as unknown as { __raw?: unknown }).__raw ?? client.query.bind(client);
          Object.assign(client, { __raw: raw, query: timed(raw as (...a: unknown[]) => unknown) });
          return client;
        };
      return Reflect.get(target, prop);
    },
  });
  return {
    pool: proxy,
    print(totalS: number) {
      const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
      console.log(
        `\nstatements (client-side time, round trips and triggers included; payroll ${totalS.toFixed(2)} s)`,
      );
      console.log('| statement | calls | s | % of payroll |\n|---|--:|--:|--:|');
      for (const [k, e] of rows.slice(0, 20))
        console.log(
          `| \`${k}\` | ${e.calls} | ${(e.ms / 1000).toFixed(2)} | ${((e.ms / 10 / totalS) | 0).toString()}% |`,
        );
    },
  };
}
