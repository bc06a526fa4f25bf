import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes: what supervisors query (R-O3). The dev server registers them at start
// (scripts/stack.ts reads CUSTOM_SEARCH_ATTRIBUTES) and docker-compose registers the same list.
export const SA_STAGE = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const SA_CASE_KIND = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const SA_COUNTY = defineSearchAttributeKey('CountyCode', SearchAttributeType.KEYWORD);
export const SA_TOWNSHIP = defineSearchAttributeKey('TownshipCode', SearchAttributeType.KEYWORD);
export const SA_VILLAGE = defineSearchAttributeKey('VillageCode', SearchAttributeType.KEYWORD);
export const SA_DEADLINE = defineSearchAttributeKey('Deadline', SearchAttributeType.DATETIME);
export const SA_OVERDUE = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
export const SA_AT_RISK = defineSearchAttributeKey('AtRisk', SearchAttributeType.BOOL);

export const CUSTOM_SEARCH_ATTRIBUTES = [
  SA_STAGE,
  SA_CASE_KIND,
  SA_COUNTY,
  SA_TOWNSHIP,
  SA_VILLAGE,
  SA_DEADLINE,
  SA_OVERDUE,
  SA_AT_RISK,
] as const;

/** `Name=Type` pairs as the Temporal CLI's --search-attribute flag takes them. */
export function searchAttributeFlags(): string[] {
  const cliType: Record<string, string> = {
    [SearchAttributeType.KEYWORD]: 'Keyword',
    [SearchAttributeType.DATETIME]: 'Datetime',
    [SearchAttributeType.BOOL]: 'Bool',
  };
  return CUSTOM_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${cliType[k.type]}`]);
}
