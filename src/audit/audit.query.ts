/** Reading the audit log (ADMINs through the API, operators through the CLI). Entries are never changed. */
import { assertActorMay } from '../auth/actor-check.ts'
import type { Actor } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { listAuditEvents } from './audit.repository.ts'

export interface AuditPage {
  auditLogs: {
    id: number
    action: string
    actorUserId: number | null
    actorEmail: string | null
    actorApiKeyId: number | null
    actorSystem: string | null
    target: string | null
    details: Record<string, unknown> | null
    ip: string | null
    userAgent: string | null
    timestamp: number
  }[]
  nextBefore: number | null
}

function parseDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch {
    return null
  }
}

export function auditQuery(deps: Deps) {
  const { db } = deps.database

  async function page(accountId: number, limit = 50, before?: number): Promise<AuditPage> {
    const rows = await listAuditEvents(db, accountId, { limit: limit + 1, before })
    const more = rows.length > limit
    const shown = rows.slice(0, limit)
    return {
      auditLogs: shown.map((r) => ({
        id: r.id,
        action: r.action,
        actorUserId: r.actor_user_id,
        actorEmail: r.actor_email,
        actorApiKeyId: r.actor_api_key_id,
        actorSystem: r.actor_system,
        target: r.target,
        details: parseDetails(r.details),
        ip: r.ip,
        userAgent: r.user_agent,
        timestamp: r.created_at,
      })),
      nextBefore: more ? (shown.at(-1)?.id ?? null) : null,
    }
  }

  return {
    async forActor(actor: Actor, input: { limit?: number; before?: number }) {
      await assertActorMay(db, actor, 'audit:read')
      return page(actor.accountId, input.limit, input.before)
    },
    forAccount: page,
  }
}

export type AuditQuery = ReturnType<typeof auditQuery>
