/** Writes audit events inside the caller's transaction, so a change and its record commit together. */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { RequestContext, RequestMeta } from '../shared/actor.ts'
import { insertAuditEvent } from './audit.repository.ts'

export type AuditAction =
  | 'account.create'
  | 'account.delete'
  | 'member.add'
  | 'member.remove'
  | 'member.role_change'
  | 'invitation.create'
  | 'invitation.replace'
  | 'invitation.cancel'
  | 'custom_role.create'
  | 'custom_role.delete'
  | 'api_key.create'
  | 'api_key.revoke'
  | 'invitation.accept'
  | 'session.login'
  | 'session.login_failed'
  | 'session.logout'
  | 'session.switch_account'
  | 'mail.failed'
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
}

/** `ctx` is null for operator actions through the CLI and for the outbox worker. */
export async function audit(db: Kysely<Database>, ctx: RequestContext | RequestMeta | null, entry: AuditEntry) {
  const actor = ctx && 'actor' in ctx ? ctx.actor : null
  await insertAuditEvent(db, {
    account_id: entry.accountId,
    actor_user_id: actor?.userId ?? entry.userId ?? null,
    actor_api_key_id: actor?.apiKeyId ?? null,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
    ip: ctx?.ip ?? null,
    user_agent: ctx?.userAgent?.slice(0, 512) ?? null,
    created_at: entry.now,
  })
}
