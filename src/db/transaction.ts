import type { Transaction } from 'kysely'
import type { Deps } from '../shared/deps.ts'
import type { Database } from './schema.ts'

/**
 * One transaction per use case that changes an account: the account is locked first, so the
 * checks made inside (last ADMIN, role in use, actor still a member) hold until commit. On
 * SQLite the use case runs in its own savepoint of a shared, group-committed transaction.
 */
export function inAccountTransaction<T>(
  deps: Deps,
  accountId: number,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const run = async (trx: Transaction<Database>) => {
    await deps.database.engine.lockAccount(trx, accountId)
    return work(trx)
  }
  const group = deps.database.groupCommit
  return group ? group.run(run) : deps.database.db.transaction().execute(run)
}
