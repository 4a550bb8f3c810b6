import type { Generated } from 'kysely'

export interface AccountTable {
  id: Generated<number>
  name: string
  created_at: number
  /** Raised by every committed transaction on the account (see db/transaction.ts). */
  team_version: Generated<number>
  /** 0 or 1: every member must sign in with a second factor (two-factor or a passkey). */
  require_mfa: Generated<number>
  /** The role SCIM gives a member when the identity provider names none (GUEST when null). */
  scim_default_role: string | null
}

export interface AccountDomainTable {
  account_id: number
  domain: string
}
