import type { Generated } from 'kysely'

export interface UserTable {
  id: Generated<number>
  /** Lower-cased; unique across the whole service. */
  email: string
  name: string
  password_hash: string | null
  created_at: number
}
