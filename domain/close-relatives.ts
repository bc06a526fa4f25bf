// R-O1: a case whose members are close relatives of assistance staff or village cadres is filed
// (备案) at receipt and at each re-review. What the filing records: which member, related to whom,
// and how. Pure: imported by the API's schemas, the workflows' messages and the repositories.

/** Close relatives (近亲属): spouse, parents, children, siblings, grandparents, grandchildren. */
export const CLOSE_RELATIONS = ['spouse', 'parent', 'child', 'sibling', 'grandparent', 'grandchild'] as const;
export type CloseRelation = (typeof CLOSE_RELATIONS)[number];

/** Whose relative: staff handling assistance, or a village (community) cadre. */
export const RELATED_POSITIONS = ['assistance_staff', 'village_cadre'] as const;
export type RelatedPosition = (typeof RELATED_POSITIONS)[number];

export interface CloseRelativeFiling {
  /** The household member who is the relative (one of the application's members). */
  memberIdNumber: string;
  /** The staff member or cadre, by name and post. */
  relatedTo: { name: string; position: RelatedPosition; post?: string };
  /** What the member is to the staff member or cadre. */
  relation: CloseRelation;
}
