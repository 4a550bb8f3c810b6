import type { BaseRole } from '../roles/role.ts'

/** Who is acting: a member of one account, through an API key or a signed-in session. */
export interface Actor {
  readonly userId: number
  readonly accountId: number
  readonly email: string
  /** The role as the account names it: built-in or custom. */
  readonly roleName: string
  /** The built-in role it acts as. */
  readonly baseRole: BaseRole
  readonly apiKeyId: number | null
  readonly sessionId: number | null
}

/** Where a request came from, for the audit log (also before anyone is signed in). */
export interface RequestMeta {
  readonly ip: string | null
  readonly userAgent: string | null
}

/** The actor plus where the request came from. */
export interface RequestContext extends RequestMeta {
  readonly actor: Actor
}
