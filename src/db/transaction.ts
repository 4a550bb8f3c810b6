import type { CompiledQuery, Transaction } from 'kysely'
import { lockAccount } from '../accounts/account.repository.ts'
import type { Metrics } from '../metrics/metrics.ts'
import { AppError } from '../shared/app-error.ts'
import type { Deps } from '../shared/deps.ts'
import type { ReadThenWrite } from './account-batches.ts'
import type { Database } from './schema.ts'

/**
 * One transaction per use case that changes an account: the account is locked first, so the
 * checks made inside (last ADMIN, role in use, actor still a member) hold until commit. The lock
 * raises the account's team_version, which is what keeps cached team lists exact: every change
 * to what an account's team list shows is made in one of these transactions. On SQLite the use
 * case runs in its own savepoint of a shared, group-committed transaction (writes.ts).
 */
export function inAccountTransaction<T>(
  deps: Deps,
  accountId: number,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const transaction = () =>
    deps.database.writes.transaction(async (trx) => {
      await lockAccount(trx, accountId)
      return work(trx)
    })
  return deps.metrics ? measured(deps.metrics, transaction) : transaction()
}

/**
 * inAccountTransaction for a use case made of one read, checks in code and independent writes
 * (inviteUsers, the hottest write). `decide` only builds statements (it is synchronous: it
 * cannot query); it may throw, and nothing of that use case is written. On PostgreSQL, use cases
 * to one account that arrive together share a transaction, its lock and its COMMIT, in two round
 * trips whatever their number (account-batches.ts); on SQLite they share the group commit like
 * every write.
 */
export function inAccountReadThenWrite<R, T>(
  deps: Deps,
  accountId: number,
  read: CompiledQuery<R>,
  decide: ReadThenWrite<R, T>['decide'],
): Promise<T> {
  const transaction = () => deps.database.writes.readThenWrite(accountId, { read, decide })
  return deps.metrics ? measured(deps.metrics, transaction) : transaction()
}

/** Times a transaction; a refused request (an AppError) is an outcome, not a database error. */
async function measured<T>(metrics: Metrics, transaction: () => Promise<T>): Promise<T> {
  const stop = metrics.transactionDuration.startTimer()
  try {
    const result = await transaction()
    stop({ outcome: 'committed' })
    return result
  } catch (error) {
    const refused = error instanceof AppError
    stop({ outcome: refused ? 'refused' : 'failed' })
    if (!refused) metrics.transactionErrors.inc()
    throw error
  }
}
