/**
 * The Security page's list of a user's own sessions (in every account, the current one marked),
 * and ending one or all the others. Only a session may do this: an API key has no sessions.
 */
import { audit } from '../audit/audit.service.ts'
import type { Actor, RequestContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { isRowId } from '../shared/row-id.ts'
import { sessionError } from './session.errors.ts'
import { deleteSessionOfUser, deleteSessionsOfUser, listSessionsOfUser } from './session.repository.ts'

export interface SessionView {
  id: number
  createdAt: number
  lastSeenAt: number
  ip: string | null
  userAgent: string | null
  accountName: string
  secondFactor: boolean
  current: boolean
}

export function ownSessions(deps: Deps) {
  const { db } = deps.database
  const idleMs = deps.config.sessionIdleSeconds * 1000

  return {
    /** The user's live sessions in every account, the current one marked. */
    async list(actor: Actor): Promise<{ sessions: SessionView[] }> {
      if (actor.sessionId === null) throw sessionError('SESSION_ONLY')
      const now = deps.clock()
      const rows = await listSessionsOfUser(db, actor.userId, now, now - idleMs)
      return {
        sessions: rows.map((r) => ({
          id: r.id,
          createdAt: Number(r.createdAt),
          lastSeenAt: Number(r.lastSeenAt),
          ip: r.ip,
          userAgent: r.userAgent,
          accountName: r.accountName,
          secondFactor: r.mfaAt !== null,
          current: r.id === actor.sessionId,
        })),
      }
    },

    /** Ends one of the user's own sessions (this one included: that is signing out). */
    async revoke(ctx: RequestContext, idInput: unknown): Promise<void> {
      const { actor } = ctx
      if (actor.sessionId === null) throw sessionError('SESSION_ONLY')
      const id = isRowId(idInput) ? idInput : NaN
      if (Number.isNaN(id)) throw sessionError('SESSION_NOT_FOUND')
      await db.transaction().execute(async (trx) => {
        // Another user's session and no such session answer alike.
        if (!(await deleteSessionOfUser(trx, actor.userId, id))) throw sessionError('SESSION_NOT_FOUND')
        await audit(trx, ctx, {
          accountId: actor.accountId,
          action: 'session.revoke',
          details: { sessionId: id },
          now: deps.clock(),
        })
      })
    },

    /** Ends every other session of the user, in all accounts. */
    async revokeOthers(ctx: RequestContext): Promise<{ revoked: number }> {
      const { actor } = ctx
      if (actor.sessionId === null) throw sessionError('SESSION_ONLY')
      return db.transaction().execute(async (trx) => {
        const revoked = await deleteSessionsOfUser(trx, actor.userId, actor.sessionId!)
        await audit(trx, ctx, {
          accountId: actor.accountId,
          action: 'session.revoke_others',
          details: { revoked },
          now: deps.clock(),
        })
        return { revoked }
      })
    },
  }
}
