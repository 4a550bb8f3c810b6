/**
 * Writes audit events inside the caller's transaction, so a change and its record commit together.
 * The audit log is also where webhook events come from: once committed, the webhook worker reads
 * them back and fans them out to the account's endpoints (webhooks/webhook.fan-out.ts).
 */
import type { CompiledQuery, Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { makesEvents } from '../webhooks/webhook.events.ts'
import { webhookSignal } from '../webhooks/webhook.signal.ts'
import type { RequestContext, RequestMeta, SystemContext } from '../shared/actor.ts'
import { accountsOfUser } from '../team/membership.repository.ts'
import { insertAuditEvent, insertAuditEventStatement, insertAuditEvents } from './audit.repository.ts'

export type AuditAction =
  | 'account.create'
  | 'account.delete'
  | 'member.add'
  | 'member.remove'
  | 'member.role_change'
  | 'member.password_reset'
  | 'invitation.create'
  | 'invitation.replace'
  | 'invitation.cancel'
  | 'custom_role.create'
  | 'custom_role.update'
  | 'custom_role.delete'
  | 'api_key.create'
  | 'api_key.revoke'
  | 'invitation.accept'
  | 'session.login'
  | 'session.login_failed'
  | 'session.logout'
  | 'session.switch_account'
  | 'mail.failed'
  | 'sso.configure'
  | 'sso.remove'
  | 'sso.login'
  | 'sso.refused'
  | 'session.revoke'
  | 'session.revoke_others'
  | 'password.change'
  | 'password.reset_request'
  | 'password.reset'
  | 'password.set_by_operator'
  | 'mfa.enable'
  | 'mfa.disable'
  | 'mfa.recovery_code_used'
  | 'account.policy'
  | 'passkey.add'
  | 'passkey.remove'
  | 'member.suspend'
  | 'member.restore'
  | 'member.profile_change'
  | 'scim_token.create'
  | 'scim_token.revoke'
  | 'scim.default_role_change'
  | 'oidc_client.create'
  | 'oidc_client.delete'

export interface AuditEntry {
  accountId: number
  action: AuditAction
  target?: string | null
  details?: Record<string, unknown>
  now: number
  /** The acting user when the request has no actor yet (signing in, accepting an invitation). */
  userId?: number | null
  /** The member the change is about (webhook events carry their user id). */
  subject?: { userId: number }
}

type AuditContext = RequestContext | SystemContext | RequestMeta | null

function rowOf(ctx: AuditContext, entry: AuditEntry) {
  const actor = ctx && 'actor' in ctx ? ctx.actor : null
  const system = ctx && 'system' in ctx ? ctx.system : null
  return {
    account_id: entry.accountId,
    actor_user_id: actor?.userId ?? entry.userId ?? null,
    actor_api_key_id: actor?.apiKeyId ?? null,
    actor_system: system,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
    ip: ctx?.ip ?? null,
    user_agent: ctx?.userAgent?.slice(0, 512) ?? null,
    created_at: entry.now,
    subject_user_id: entry.subject?.userId ?? null,
  }
}

/** Tells the webhook worker to look soon, when the change makes events. */
function hint(entries: readonly AuditEntry[]) {
  if (entries.some((e) => makesEvents(e.action))) webhookSignal.changed()
}

/** `ctx` is null for operator actions through the CLI and for the outbox worker. */
export async function audit(db: Kysely<Database>, ctx: AuditContext, entry: AuditEntry) {
  await insertAuditEvent(db, rowOf(ctx, entry))
  hint([entry])
}

/**
 * A change to a person rather than to one account (their password, their second factor):
 * recorded in the log of each account they belong to, so each account's ADMINs see it.
 */
export async function auditInEachAccountOf(
  db: Kysely<Database>,
  ctx: AuditContext,
  userId: number,
  entry: Omit<AuditEntry, 'accountId'>,
) {
  for (const { accountId } of await accountsOfUser(db, userId)) await audit(db, ctx, { ...entry, accountId })
}

/**
 * The same write as `audit`, as a statement for a use case to send with its other writes
 * (db/write-together.ts).
 */
export function auditStatement(db: Kysely<Database>, ctx: AuditContext, entry: AuditEntry): CompiledQuery {
  hint([entry])
  return insertAuditEventStatement(db, rowOf(ctx, entry))
}

/**
 * Many changes of one use case at once (the operator's bulk import): the same audit rows and
 * the same hint to the webhook worker as `audit` per entry, written with a few multi-row statements.
 */
export async function auditMany(db: Kysely<Database>, ctx: AuditContext, entries: readonly AuditEntry[]) {
  await insertAuditEvents(
    db,
    entries.map((entry) => rowOf(ctx, entry)),
  )
  hint(entries)
}
