/**
 * What Roster says about a person to an application: a pure mapping from who they are and their
 * current membership of the application's account to OpenID claims, by scope.
 */
export interface Identity {
  userId: number
  email: string
  name: string
  accountId: number
  accountName: string
  /** The role name as the account calls it (custom roles included). */
  role: string
  baseRole: string
}

export const SCOPE_CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name'],
  roster: ['account_id', 'account_name', 'role', 'base_role'],
} as const

export function rosterClaims(who: Identity) {
  return { account_id: who.accountId, account_name: who.accountName, role: who.role, base_role: who.baseRole }
}

/** Every claim the provider may release; it filters them by the granted scopes itself. */
export function identityClaims(who: Identity) {
  return {
    sub: String(who.userId),
    email: who.email,
    email_verified: true,
    name: who.name,
    ...rosterClaims(who),
  }
}
