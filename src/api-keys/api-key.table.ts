import type { Generated } from 'kysely'
import type { TokenUtility } from './token-utility.ts'

export interface ApiKeyTable {
  id: Generated<number>
  account_id: number
  user_id: number
  name: string
  /** SHA-256 of the key, hex. The key itself is never stored. */
  key_hash: string
  /** The first characters of the key, enough to recognise it in a list. */
  prefix: string
  /** Akto's tokenUtility; null for keys made before it was kept, or by the CLI (token-utility.ts). */
  utility: TokenUtility | null
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}
