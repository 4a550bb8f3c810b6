import type { Generated } from 'kysely'

/** A bearer token an identity provider uses for one account's SCIM endpoint. */
export interface ScimTokenTable {
  id: Generated<number>
  account_id: number
  name: string
  /** SHA-256 of the token, hex. The token itself is never stored. */
  token_hash: string
  /** The first characters of the token, enough to recognise it in a list. */
  prefix: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}
