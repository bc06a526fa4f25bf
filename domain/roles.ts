// API.md "Identity and reach": who may do what. Pure, shared by the API guard and the workflows'
// update validators (a staff step by the wrong role is refused before it enters history).
export const ROLES = ['township_staff', 'county_staff', 'supervisor', 'integration', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The identity a staff step carries into a workflow (R-O6: who decided). */
export interface Actor {
  sub: string;
  role: Role;
  region: string;
}
