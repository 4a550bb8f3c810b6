/** A role's member list changes: version 1 (no row) until someone is first given it or leaves it. */
export interface RoleVersionTable {
  account_id: number
  role: string
  /** Raised by every change to who holds the role: the SCIM Group's ETag. */
  version: number
  updated_at: number
}
