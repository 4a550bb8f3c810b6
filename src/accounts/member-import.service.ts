/**
 * Operator bulk import (`roster user import --csv`, seeding for tests and benchmarks): members
 * added directly, no invitation, with addUser's checks per row. Rows go in chunks, each chunk
 * one account transaction of a few multi-row statements (users, memberships, audit and webhook
 * events), so 100,000 rows take seconds, not a transaction per row.
 */
import { withoutControls } from '../shared/without-controls.ts'
import { auditMany } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { normalizeEmail } from '../invitations/email-rule.ts'
import { resolveRole, type ResolvedRole } from '../roles/role-resolver.ts'
import type { Deps } from '../shared/deps.ts'
import { existingLogins, insertMemberships } from '../team/membership.repository.ts'
import { insertUsersIfAbsent, userIdsByEmail } from '../users/user.repository.ts'
import { accountError } from './account.errors.ts'
import type { AccountService } from './account.service.ts'

export interface ImportRow {
  email: string
  name?: string | undefined
  role?: string | undefined
}

export type ImportResult =
  { email: string; ok: true; userId: number } | { email: string; ok: false; code: string; message: string }

/** Rows per transaction; each statement stays far below both engines' bound-parameter limits. */
const CHUNK = 1000
const STATEMENT_ROWS = 500

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

const failure = (
  email: string,
  code: keyof typeof accountError.messages | 'DUPLICATE_IN_BATCH',
): ImportResult => ({
  email,
  ok: false,
  code,
  message: code === 'DUPLICATE_IN_BATCH' ? 'Duplicate email in this batch' : accountError.messages[code],
})

export function memberImportService(deps: Deps, accounts: AccountService) {
  return {
    async importMembers(
      accountId: number,
      rows: readonly ImportRow[],
      options: { defaultRole?: string; onProgress?: (done: number) => void } = {},
    ): Promise<ImportResult[]> {
      await accounts.requireAccount(accountId)
      const seen = new Set<string>()
      const results: ImportResult[] = []
      for (const chunk of chunks(rows, CHUNK)) {
        const part = await inAccountTransaction(deps, accountId, async (trx) => {
          const now = deps.clock()
          const roles = new Map<string, ResolvedRole | undefined>()
          const out: ImportResult[] = []
          const valid: { index: number; email: string; name: string; role: string }[] = []
          for (const row of chunk) {
            const email = normalizeEmail(row.email)
            const shown = typeof row.email === 'string' ? row.email.trim() : ''
            if (!email) {
              out.push(failure(shown, 'INVALID_EMAIL'))
              continue
            }
            if (seen.has(email)) {
              out.push(failure(email, 'DUPLICATE_IN_BATCH'))
              continue
            }
            seen.add(email)
            const roleName = row.role?.trim() || options.defaultRole || 'MEMBER'
            if (!roles.has(roleName)) roles.set(roleName, await resolveRole(trx, accountId, roleName))
            const role = roles.get(roleName)
            if (!role) {
              out.push(failure(email, 'INVALID_ROLE'))
              continue
            }
            const name =
              row.name === undefined || row.name.trim() === ''
                ? email.slice(0, email.indexOf('@'))
                : withoutControls(row.name)
            if (name.length === 0 || name.length > 200) {
              out.push(failure(email, 'INVALID_NAME'))
              continue
            }
            valid.push({ index: out.length, email, name, role: role.name })
            out.push({ email, ok: true, userId: 0 })
          }
          const members = await existingLogins(
            trx,
            accountId,
            valid.map((v) => v.email),
          )
          const fresh = valid.filter((v) => {
            if (!members.has(v.email)) return true
            out[v.index] = failure(v.email, 'ALREADY_MEMBER')
            return false
          })
          const ids = new Map<string, number>()
          for (const part of chunks(fresh, STATEMENT_ROWS)) {
            await insertUsersIfAbsent(trx, part, now)
            for (const u of await userIdsByEmail(
              trx,
              part.map((v) => v.email),
            ))
              ids.set(u.email, u.id)
            await insertMemberships(
              trx,
              part.map((v) => ({ accountId, userId: ids.get(v.email)!, login: v.email, role: v.role })),
              now,
            )
            // Through audit, like every other write: the audit rows and their member.added events.
            await auditMany(
              trx,
              null,
              part.map((v) => ({
                accountId,
                action: 'member.add' as const,
                target: v.email,
                details: { role: v.role, import: true },
                subject: { userId: ids.get(v.email)! },
                now,
              })),
            )
          }
          for (const v of fresh) out[v.index] = { email: v.email, ok: true, userId: ids.get(v.email)! }
          return out
        })
        results.push(...part)
        options.onProgress?.(results.length)
      }
      return results
    },
  }
}

export type MemberImportService = ReturnType<typeof memberImportService>
