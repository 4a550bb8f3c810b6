/**
 * inviteUsersBulk and `roster invite --csv`: each row goes through the one invitation use case
 * (invitation.service.ts), in its own transaction, so it gets exactly inviteUsers' checks,
 * messages, flood limits (every row counts), audit event and outbox email. Rows are independent:
 * a refused row is reported and the others go on. A few rows run at once, so that on SQLite they
 * share group commits; results come back in input order.
 */
import { AppError } from '../shared/app-error.ts'
import type { RequestContext } from '../shared/actor.ts'
import { normalizeEmail } from './email-rule.ts'
import { bulkInvitationError } from './invitation.errors.ts'
import type { InvitationService } from './invitation.service.ts'

export interface BulkRow {
  inviteeEmail?: unknown
  inviteeRole?: unknown
  inviteeName?: unknown
}

export type BulkResult =
  | { inviteeEmail: string; ok: true; finalInviteCode: string; inviteeRole: string }
  | { inviteeEmail: string; ok: false; code: string; message: string }

export const MAX_BULK_ROWS = 1000
const PARALLEL_ROWS = 4

export function bulkInvitationService(invitations: InvitationService) {
  return {
    async inviteMany(
      ctx: RequestContext,
      rows: readonly BulkRow[],
      options: {
        websiteHostName?: unknown
        onRow?: (done: number) => void
        /** Rows already refused by their index (a field of the wrong type), reported as they are. */
        refused?: ReadonlyMap<number, AppError>
      } = {},
    ): Promise<BulkResult[]> {
      const results: BulkResult[] = new Array(rows.length)
      const seen = new Set<string>()
      const todo: number[] = []
      rows.forEach((row, i) => {
        const email = normalizeEmail(row.inviteeEmail)
        const shown = typeof row.inviteeEmail === 'string' ? row.inviteeEmail : ''
        const refused = options.refused?.get(i)
        if (refused) {
          results[i] = { inviteeEmail: shown, ok: false, code: refused.code, message: refused.message }
        } else if (email && seen.has(email)) {
          const e = bulkInvitationError('DUPLICATE_IN_BATCH')
          results[i] = { inviteeEmail: shown, ok: false, code: e.code, message: e.message }
        } else {
          if (email) seen.add(email)
          todo.push(i)
        }
      })
      let done = rows.length - todo.length
      let next = 0
      const worker = async () => {
        while (next < todo.length) {
          const i = todo[next++]!
          const row = rows[i]!
          const shown = typeof row.inviteeEmail === 'string' ? row.inviteeEmail : ''
          try {
            const r = await invitations.invite(ctx, { ...row, websiteHostName: options.websiteHostName })
            results[i] = { inviteeEmail: normalizeEmail(row.inviteeEmail) ?? shown, ok: true, ...r }
          } catch (error) {
            // A refused row is reported; anything else (database down) fails the whole request.
            if (!(error instanceof AppError)) throw error
            results[i] = { inviteeEmail: shown, ok: false, code: error.code, message: error.message }
          }
          options.onRow?.(++done)
        }
      }
      await Promise.all(Array.from({ length: Math.min(PARALLEL_ROWS, todo.length) }, worker))
      return results
    },
  }
}

export type BulkInvitationService = ReturnType<typeof bulkInvitationService>
