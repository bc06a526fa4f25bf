import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { idNumberSchemaAsOf } from '../../domain/idnumber-schema';
import { DEATH_SOURCES, HIT_KINDS } from '../../workflows/contracts';
import { notFuture } from './cases';

// ---- Integrations (R-M2, R-M6): each line is parsed on its own so one bad line never fails a batch.

/** Built per request: "not in the future" needs today's date. */
export const deathNoticeItem = () =>
  z.object({
    noticeId: z.string().min(1).max(200),
    idNumber: idNumberSchemaAsOf(civilDateOf(new Date())),
    diedOn: notFuture('diedOn'),
    source: z.enum(DEATH_SOURCES).default('integration'),
  });

export const comparisonHitItem = () =>
  z.object({
    hitId: z.string().min(1).max(200),
    kind: z.enum(HIT_KINDS),
    idNumber: idNumberSchemaAsOf(civilDateOf(new Date())),
    detectedOn: notFuture('detectedOn'),
    source: z.string().trim().min(1).max(200),
    details: z.string().max(4000),
  });

const batch = (what: string) => z.array(z.unknown()).min(1).max(5000).describe(what);
export const deathNoticeBatch = z
  .object({
    notices: batch(
      `{noticeId, idNumber, diedOn, source?} each, source one of ${DEATH_SOURCES.join(', ')} (default integration); checked line by line`,
    ),
  })
  .meta({ id: 'DeathNoticeBatch' });
export const comparisonHitBatch = z
  .object({ hits: batch('{hitId, kind, idNumber, detectedOn, source, details} each; checked line by line') })
  .meta({ id: 'ComparisonHitBatch' });

export const INTAKE_OUTCOMES = [
  'matched',
  'duplicate',
  'pending',
  'unknown',
  'forbidden',
  'invalid',
] as const;
export type IntakeOutcome = (typeof INTAKE_OUTCOMES)[number];
const problemList = z.array(z.object({ path: z.string(), message: z.string() }));

const intakeResult = z.object({
  index: z.number().int().describe('Position of the line in the batch'),
  outcome: z
    .enum(INTAKE_OUTCOMES)
    .describe(
      'matched: forwarded to the case (a closed case too: a death inside paid months is recovered); ' +
        'duplicate: id already received (or repeated in the batch); pending (death notices): the ' +
        "person's application is pending, the notice is kept and applied when it is approved; unknown: " +
        'no case holds the person (kept, and applied by a case that later holds them); forbidden: the ' +
        "case or application is outside the caller's region; invalid: see problems",
    ),
  caseId: z.string().optional(),
  problems: problemList.optional(),
});

/** 202 answer of a batch: one result per line, in order, and the count per outcome. */
const intakeReport = <T extends z.ZodRawShape>(idShape: T, id: string) =>
  z
    .object({
      results: z.array(intakeResult.extend(idShape)),
      counts: z.record(z.enum(INTAKE_OUTCOMES), z.number().int()),
    })
    .meta({ id });
export const deathNoticeReport = intakeReport(
  { noticeId: z.string().optional(), applicationId: z.string().optional() },
  'DeathNoticeReport',
);
export const comparisonHitReport = intakeReport({ hitId: z.string().optional() }, 'ComparisonHitReport');
