/**
 * The audit log in the shape Akto's dashboard reads (fetchApiAuditLogsFromDb): a time range in
 * epoch seconds, offset paging, each entry as the endpoint and a sentence. Roster records
 * use cases, not endpoints; this maps each action to the endpoint that performs it.
 */
import { assertActorMay } from '../auth/actor-check.ts'
import type { Actor } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import type { AuditAction } from './audit.service.ts'
import { countAuditEventsInRange, lastSignInOf, listAuditEventsInRange } from './audit.repository.ts'
import { epochSeconds } from '../shared/epoch-seconds.ts'

/** -1 asks for every entry; bounded so one request cannot read an unbounded log. */
export const MAX_AUDIT_ENTRIES = 10_000

const ENDPOINTS: Readonly<Record<string, string>> = {
  'invitation.create': '/api/inviteUsers',
  'invitation.replace': '/api/inviteUsers',
  'invitation.cancel': '/api/removeUser',
  'invitation.accept': '/api/acceptInvitation',
  'member.remove': '/api/removeUser',
  'member.role_change': '/api/makeAdmin',
  'member.password_reset': '/api/resetUserPassword',
  'custom_role.create': '/api/createCustomRole',
  'custom_role.update': '/api/updateCustomRole',
  'custom_role.delete': '/api/deleteCustomRole',
  'api_key.create': '/api/addApiToken',
  'api_key.revoke': '/api/deleteApiToken',
  'session.login': '/api/login',
  'session.login_failed': '/api/login',
  'session.logout': '/api/logout',
  'session.switch_account': '/api/switchAccount',
}

type Details = Record<string, unknown>

// Every action has its sentence (the type says so), so no entry reaches the dashboard as a raw code.
const SENTENCES: Readonly<Record<AuditAction, (target: string, d: Details) => string>> = {
  'account.create': (t) => `Created the account ${t}`,
  'account.delete': (t) => `Deleted the account ${t}`,
  'invitation.create': (t, d) => `Invited ${t}${d.role ? ` as ${String(d.role)}` : ''}`,
  'invitation.replace': (t, d) => `Invited ${t} again${d.role ? ` as ${String(d.role)}` : ''}`,
  'invitation.cancel': (t) => `Cancelled the invitation of ${t}`,
  'invitation.accept': (t) => `${t} accepted an invitation`,
  'member.add': (t, d) => `Added ${t}${d.role ? ` as ${String(d.role)}` : ''}`,
  'member.remove': (t) => `Removed ${t}`,
  'member.password_reset': (t) => `Sent a password-reset link to ${t}`,
  'member.role_change': (t, d) =>
    `Changed the role of ${t}${d.to ? ` from ${String(d.from)} to ${String(d.to)}` : ''}`,
  'custom_role.create': (t) => `Created the role ${t}`,
  'custom_role.update': (t, d) =>
    `Updated the role ${t}${d.baseRole ? ` (acts as ${String(d.baseRole)})` : ''}`,
  'custom_role.delete': (t) => `Deleted the role ${t}`,
  'api_key.create': (t) => `Created the API key ${t}`,
  'api_key.revoke': (t) => `Revoked the API key ${t}`,
  'session.login': () => 'Signed in',
  'session.login_failed': (t) => `Failed sign-in${t ? ` as ${t}` : ''}`,
  'session.logout': () => 'Signed out',
  'session.switch_account': () => 'Switched account',
  'session.revoke': () => 'Signed out a session',
  'session.revoke_others': () => 'Signed out every other session',
  'mail.failed': (t) => `Could not deliver an email to ${t}`,
  'sso.configure': (t, d) =>
    `Configured single sign-on${d.protocol ? ` (${String(d.protocol).toUpperCase()})` : ''}${t ? ` with ${t}` : ''}`,
  'sso.remove': (_t, d) =>
    `Removed single sign-on${d.protocol ? ` (${String(d.protocol).toUpperCase()})` : ''}`,
  'sso.login': () => 'Signed in through single sign-on',
  'sso.refused': (t) => `Refused a single sign-on${t ? ` as ${t}` : ''}`,
  'password.change': () => 'Changed their password',
  'password.reset_request': () => 'Asked for a password-reset link',
  'password.reset': () => 'Set a new password from a reset link',
  'password.set_by_operator': (t) => `The operator set a new password for ${t}`,
  'mfa.enable': () => 'Turned on two-factor authentication',
  'mfa.disable': (t, d) =>
    d.byOperator
      ? `The operator turned off two-factor authentication for ${t}`
      : `Turned off two-factor authentication${t ? ` for ${t}` : ''}`,
  'mfa.recovery_code_used': () => 'Signed in with a recovery code',
  'account.policy': (_t, d) =>
    d.requireMfa === undefined
      ? 'Changed the account policy'
      : `Set two-factor to ${d.requireMfa ? 'required' : 'optional'}`,
  'passkey.add': (t) => `Added the passkey ${t}`,
  'passkey.remove': (t) => `Removed the passkey ${t}`,
  'member.suspend': (t) => `Suspended ${t}`,
  'member.restore': (t) => `Restored ${t}`,
  'member.profile_change': (t) => `Changed the profile of ${t}`,
  'scim_token.create': (t) => `Created the provisioning token ${t}`,
  'scim_token.revoke': (t) => `Revoked the provisioning token ${t}`,
  'scim.default_role_change': (_t, d) =>
    `Set the provisioning default role${d.role ? ` to ${String(d.role)}` : ''}`,
  'oidc_client.create': (t) => `Added the application ${t}`,
  'oidc_client.delete': (t) => `Deleted the application ${t}`,
}

function detailsOf(text: string | null): Details {
  if (text === null) return {}
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as Details) : {}
  } catch {
    return {}
  }
}

export interface AktoAuditQuery {
  skip?: number
  limit?: number
  sortOrder?: number
  startTimestamp?: number
  endTimestamp?: number
}

export function aktoAuditLog(deps: Deps) {
  const { db } = deps.database
  return {
    async fetch(actor: Actor, input: AktoAuditQuery) {
      await assertActorMay(db, actor, 'audit:read')
      const from = (input.startTimestamp ?? 0) * 1000
      const to = input.endTimestamp === undefined ? deps.clock() + 1 : input.endTimestamp * 1000
      const limit =
        input.limit === undefined || input.limit < 0
          ? MAX_AUDIT_ENTRIES
          : Math.min(input.limit, MAX_AUDIT_ENTRIES)
      const range = { from, to }
      const [rows, total] = await Promise.all([
        listAuditEventsInRange(db, actor.accountId, {
          ...range,
          ascending: input.sortOrder === 1,
          offset: input.skip ?? 0,
          limit,
        }),
        countAuditEventsInRange(db, actor.accountId, range),
      ])
      return {
        apiAuditLogs: rows.map((r) => {
          const sentence = SENTENCES[r.action as AuditAction] as
            ((t: string, d: Details) => string) | undefined
          const target = r.target ?? ''
          return {
            timestamp: epochSeconds(r.created_at),
            apiEndpoint: ENDPOINTS[r.action] ?? r.action,
            actionDescription: sentence
              ? sentence(target, detailsOf(r.details))
              : `${r.action}${target ? ` ${target}` : ''}`,
            userEmail: r.actor_email ?? 'system',
            userAgent: r.user_agent ?? '',
            userIpAddress: r.ip ?? '',
          }
        }),
        totalAuditLogs: total,
      }
    },

    /** The caller's last sign-in, in epoch seconds (0: never). */
    async lastLogin(actor: Actor): Promise<{ lastLoginTs: number }> {
      const at = await lastSignInOf(db, actor.userId)
      return { lastLoginTs: at === undefined ? 0 : epochSeconds(at) }
    },
  }
}

export type AktoAuditLog = ReturnType<typeof aktoAuditLog>
