import { CompiledQuery, type Kysely, type Transaction } from 'kysely'
import { lockAccount, lockAccountStatement } from '../accounts/account.repository.ts'
import type { Metrics } from '../metrics/metrics.ts'
import { AppError } from '../shared/app-error.ts'
import type { Deps } from '../shared/deps.ts'
import { sendTogether } from './pipeline.ts'
import type { Database } from './schema.ts'
import { combinedWrites } from './write-together.ts'

/**
 * One transaction per use case that changes an account: the account is locked first, so the
 * checks made inside (last ADMIN, role in use, actor still a member) hold until commit. The lock
 * raises the account's team_version, which is what keeps cached team lists exact: every change
 * to what an account's team list shows is made in one of these transactions. On SQLite the use
 * case runs in its own savepoint of a shared, group-committed transaction.
 */
export function inAccountTransaction<T>(
  deps: Deps,
  accountId: number,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const run = async (trx: Transaction<Database>) => {
    await lockAccount(trx, accountId)
    return work(trx)
  }
  const group = deps.database.groupCommit
  const transaction = () => (group ? group.run(run) : deps.database.db.transaction().execute(run))
  return deps.metrics ? measured(deps.metrics, transaction) : transaction()
}

/** What a read-then-write use case decided: its answer, and the writes that make it so. */
export interface Decided<T> {
  readonly result: T
  readonly writes: readonly CompiledQuery[]
}

/**
 * inAccountTransaction for a use case made of one read, checks in code and independent writes
 * (inviteUsers, the hottest write): the read is sent with the lock and the writes with the end
 * of the use case. On PostgreSQL that is two round trips, pipelined (pipeline.ts), and use cases
 * to one account that arrive together share a transaction and its COMMIT (account-batches.ts):
 * the account's lock, held until the COMMIT is on disk, no longer makes each of them wait for
 * the one before's fsync. `decide` only builds statements (it is synchronous: it cannot query);
 * it may throw, and nothing of that use case is written.
 */
export function inAccountReadThenWrite<R, T>(
  deps: Deps,
  accountId: number,
  read: CompiledQuery<R>,
  decide: (db: Kysely<Database>, row: R | undefined) => Decided<T>,
): Promise<T> {
  // The same steps on both engines; only where the transaction begins and ends differs.
  const steps = async (db: Kysely<Database>, begin: CompiledQuery[], end: CompiledQuery[]) => {
    const rows = await sendTogether(db, [...begin, lockAccountStatement(db, accountId), read])
    const { result, writes } = decide(db, rows.at(-1)?.[0] as R | undefined)
    await sendTogether(db, [...combinedWrites(db, writes), ...end])
    return result
  }
  const { groupCommit, accountBatches } = deps.database
  const transaction = groupCommit
    ? () => groupCommit.run((trx) => steps(trx, [], []))
    : () => accountBatches!.run(accountId, steps)
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
