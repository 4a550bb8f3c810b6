import type { Generated } from 'kysely'

export interface MembershipTable {
  account_id: number
  user_id: number
  /** A built-in role name or the name of one of the account's custom roles. */
  role: string
  created_at: number
  /** The member's email, copied from users (it never changes): the listing's sort and search key. */
  login: string
  /** Set while an identity provider has the member suspended (SCIM active=false): no access at all. */
  suspended_at: number | null
  /** The SCIM profile the identity provider keeps for this member of this account. */
  external_id: string | null
  given_name: string | null
  family_name: string | null
  display_name: string | null
  updated_at: number | null
  /** Raised by every change to the member (role, suspension, profile): the SCIM ETag. */
  version: Generated<number>
}
