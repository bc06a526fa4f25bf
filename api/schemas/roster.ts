import { z } from 'zod';
import { CLOSE_RELATIONS, RELATED_POSITIONS } from '../../domain/close-relatives';
import { countyCodeSchema, regionCodeSchema } from '../../domain/region-schema';
import { civilDate } from './applications';

// Request and response shapes of API.md "Close-relative roster" (R-O1).

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((t) => !t.includes('\u0000'), 'no NUL characters');

export const rosterRelativeSchema = z.object({
  idNumber: z.string().max(18).describe('National ID number (checked; never shown back in clear)'),
  name: text(100),
  relation: z.enum(CLOSE_RELATIONS).describe('What the relative is to the staff member or cadre'),
});

export const rosterStaffSchema = z
  .object({
    ref: text(64).describe("The county's own reference for the staff member or cadre (e.g. a staff number)"),
    name: text(100),
    position: z.enum(RELATED_POSITIONS),
    post: text(100).optional(),
    regionCode: regionCodeSchema.describe('Where they serve: the county, a township or a village in it'),
    relatives: z.array(rosterRelativeSchema).max(50).default([]),
    ended: z.boolean().optional().describe('Left the post: every relation of theirs ends'),
  })
  .meta({ id: 'RosterStaff' });

export const rosterSubmissionSchema = z
  .object({
    countyCode: countyCodeSchema,
    effectiveOn: civilDate
      .optional()
      .describe('The day the roster holds from (default today): changes end and start on it'),
    complete: z
      .boolean()
      .default(false)
      .describe(
        "The county's whole roster: staff members not listed end (default: only those listed change)",
      ),
    staff: z.array(rosterStaffSchema).max(20_000),
  })
  .meta({ id: 'RosterSubmission' });

/** A file upload's parameters (the JSON body carries them itself). */
export const rosterFileQuery = z.object({
  countyCode: countyCodeSchema.optional().describe('With a CSV or XLSX body: the county'),
  effectiveOn: civilDate.optional().describe('With a CSV or XLSX body: the day the roster holds from'),
  complete: z.enum(['true', 'false']).optional().describe('With a CSV or XLSX body: the whole roster'),
});

export const rosterRecorded = z.object({
  uploadId: z.string(),
  countyCode: z.string(),
  effectiveOn: z.string(),
  complete: z.boolean(),
  started: z.number().int().describe('Relations that start on effectiveOn'),
  ended: z.number().int().describe('Relations ended on effectiveOn (kept, R-O6)'),
  unchanged: z.number().int(),
});

export const rosterEntrySchema = z
  .object({
    entryId: z.string(),
    countyCode: z.string(),
    staff: z.object({
      ref: z.string(),
      name: z.string(),
      position: z.enum(RELATED_POSITIONS),
      post: z.string().optional(),
      regionCode: z.string(),
    }),
    relative: z.object({
      idNumber: z.string().describe('Masked: region and last 4 characters (R-O7)'),
      name: z.string().describe('Masked: the surname and one * per further character (R-O7)'),
      relation: z.enum(CLOSE_RELATIONS),
    }),
    effectiveFrom: z.string(),
    endedOn: z.string().nullable().describe('From this day the entry no longer holds; null: in force'),
  })
  .meta({ id: 'RosterEntry' });

export const rosterListQuery = z.object({
  region: regionCodeSchema.optional().describe("Within the caller's region; default the caller's"),
  asOf: civilDate.optional().describe('Entries in force on this day (default today)'),
  all: z.enum(['true', 'false']).optional().describe('Every entry, ended ones included'),
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
