import { createHash } from 'node:crypto';

// The window's lists (API.md "Applications", "Cases in benefit"): what the case list, the
// application list and their name search share. A list reads the caller's region as one range of
// 12-digit village codes; each value of its filter columns is one index range in (village, id)
// order (migration 140), and the ranges are merged and cut at the page size, so a page reads about
// a page of index entries whatever the region's size and whatever filters are set.

/** A region (2, 4, 6, 9 or 12 digits) as a range of village codes and, from a county down, its county. */
export interface ListScope {
  lo: string;
  hi: string;
  county?: string;
}

export function listScope(region: string): ListScope {
  return {
    lo: region.padEnd(12, '0'),
    hi: region.padEnd(12, '9'),
    ...(region.length >= 6 ? { county: region.slice(0, 6) } : {}),
  };
}

/** A value of a filter column as an SQL literal: only the code's own enumerations come here. */
export function literal(v: string): string {
  if (!/^[a-z_]+$/.test(v)) throw new RangeError(`list: not an enumerated value "${v}"`);
  return `'${v}'`;
}

/** The first string after every string that starts with `prefix` (names compare bytewise, COLLATE "C"). */
export const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;

export class Params {
  readonly values: unknown[] = [];
  add(v: unknown, type = 'text'): string {
    this.values.push(v);
    return `$${this.values.length}::${type}`;
  }
}

/**
 * A named statement per distinct text: the branches vary only with the filters and the cursor, so
 * each connection plans a list's few texts once (many branches take longer to plan than to run).
 */
export const named = (prefix: string, q: { text: string; values: unknown[] }) => ({
  name: `${prefix}_${createHash('sha1').update(q.text).digest('hex').slice(0, 20)}`,
  ...q,
});

/** Every combination of the filter columns' values, as `a = 'x' AND b = 'y'` predicates. */
export function combinations(columns: [column: string, values: readonly string[]][]): string[] {
  return columns.reduce<string[]>(
    (acc, [column, values]) =>
      acc.flatMap((pred) => values.map((v) => `${pred}${pred ? ' AND ' : ''}${column} = ${literal(v)}`)),
    [''],
  );
}

/** One ordered, cut range per combination, merged in (village, id) order. */
export function mergedBranches(a: {
  table: string;
  id: string;
  columns: string;
  combos: string[];
  where: string;
  limit: string;
}): string {
  const branch = (pred: string) =>
    `(SELECT ${a.columns} FROM ${a.table} WHERE ${pred} AND ${a.where}
      ORDER BY village_code, ${a.id} LIMIT ${a.limit})`;
  return `SELECT * FROM (${a.combos.map(branch).join('\n UNION ALL ')}) b
    ORDER BY village_code, ${a.id} LIMIT ${a.limit}`;
}
