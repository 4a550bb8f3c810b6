import type { Generated } from 'kysely'

export interface AccountTable {
  id: Generated<number>
  name: string
  created_at: number
}

export interface AccountDomainTable {
  account_id: number
  domain: string
}
