import { z } from 'zod';
import { isRegionCode } from './region';

// The zod schemas of region codes at the API's edge (domain/region.ts holds the rules; workflows
// import that one only, so zod stays out of the workflow bundle).

const message = (what: string) => `${what}: a valid administrative division code`;
export const regionCodeSchema = z.string().refine(isRegionCode, message('region (2, 4, 6, 9 or 12 digits)'));
export const countyCodeSchema = z
  .string()
  .refine((c) => c.length === 6 && isRegionCode(c), message('county (6 digits)'));
export const townshipCodeSchema = z
  .string()
  .refine((c) => c.length === 9 && isRegionCode(c), message('township (9 digits)'));
export const villageCodeSchema = z
  .string()
  .refine((c) => c.length === 12 && isRegionCode(c), message('village (12 digits)'));
