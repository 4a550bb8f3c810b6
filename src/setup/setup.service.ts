/**
 * First-run setup: while the database holds no account at all, anyone who can reach Roster may
 * create the first account and its ADMIN (with a password) and is signed in. Afterwards it refuses.
 * Only one setup can win: the installation row's primary key settles a race in the database.
 */
import { insertAccountWithAdmin, validAccount } from '../accounts/account.service.ts'
import { hashPassword, passwordProblem } from '../auth/password.ts'
import type { SessionService } from '../sessions/session.service.ts'
import type { RequestMeta } from '../shared/actor.ts'
import { AppError } from '../shared/app-error.ts'
import type { Deps } from '../shared/deps.ts'
import { setupError } from './setup.errors.ts'
import { anyAccountExists, claimInstallation } from './setup.repository.ts'

export interface SetupInput {
  accountName?: unknown
  domains?: unknown
  name?: unknown
  email?: unknown
  password?: unknown
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

export function setupService(deps: Deps, sessions: SessionService) {
  const { db } = deps.database

  return {
    async status(): Promise<{ needsSetup: boolean }> {
      return { needsSetup: !(await anyAccountExists(db)) }
    },

    async setup(input: SetupInput, meta: RequestMeta) {
      if (await anyAccountExists(db)) throw setupError('SETUP_DONE')
      const domains = Array.isArray(input.domains) ? input.domains.map(text) : []
      const valid = validAccount(
        {
          name: text(input.accountName),
          domains,
          adminEmail: text(input.email),
          adminName: text(input.name) || undefined,
        },
        false,
      )
      const problem = passwordProblem(input.password)
      if (problem) throw new AppError('WEAK_PASSWORD', problem)
      // The slow hash happens before the transaction, so nothing waits on scrypt holding a lock.
      valid.adminPasswordHash = await hashPassword(input.password as string)
      try {
        return await db.transaction().execute(async (trx) => {
          const now = deps.clock()
          await claimInstallation(trx, now)
          if (await anyAccountExists(trx)) throw setupError('SETUP_DONE')
          const created = await insertAccountWithAdmin(trx, meta, valid, now)
          const token = await sessions.open(trx, created.userId, created.accountId, now)
          return {
            token,
            view: { accountId: created.accountId, userId: created.userId, email: valid.email, role: 'ADMIN' },
          }
        })
      } catch (error) {
        if (deps.database.engine.isUniqueViolation(error)) throw setupError('SETUP_DONE')
        throw error
      }
    },
  }
}

export type SetupService = ReturnType<typeof setupService>
