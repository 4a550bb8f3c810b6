/** The outbox as operators see it (`roster mail list`): never the bodies, which hold links. */
import type { Deps } from '../shared/deps.ts'
import { listMail } from './mail.repository.ts'
import type { MailStatus } from './mail.table.ts'

export const LISTED_STATUSES = ['pending', 'sending', 'sent', 'logged', 'failed', 'superseded'] as const

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function mailService(deps: Deps) {
  return {
    async list(filter: { status?: MailStatus | undefined; accountId?: number | undefined }) {
      const rows = await listMail(deps.database.db, filter)
      return rows.map((r) => ({
        id: r.id,
        accountId: r.accountId,
        kind: r.kind,
        to: r.recipient,
        subject: r.subject,
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.status === 'pending' ? iso(r.nextAttemptAt) : null,
        lastError: r.lastError,
        createdAt: iso(r.createdAt),
        sentAt: iso(r.sentAt),
      }))
    },
  }
}
