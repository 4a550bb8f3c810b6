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
  /**
   * The account's team_version, read with the credential: what the team list was when this
   * request was let in (see team/team-list-cache.ts). Read in the same statement, it costs nothing.
   */
  readonly teamVersion: number
  /**
   * True for a session that has not proved a second factor in an account that requires one: it
   * may only enrol (see auth/authenticate.ts). Absent for API keys.
   */
  readonly mfaEnrolmentPending?: boolean
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

/** A system acting on an account rather than a member: an identity provider through SCIM. */
export interface SystemContext extends RequestMeta {
  readonly system: 'scim'
  readonly accountId: number
}
