/**
 * How this engine runs write transactions. Both let use cases that arrive together share a
 * commit, each in its own way:
 * - SQLite (one writer, in-process) runs every write use case in a savepoint of a group commit
 *   (group-commit.ts).
 * - PostgreSQL runs transactions as they come, and batches only the read-then-write use cases of
 *   one account (account-batches.ts), which its lock would otherwise make wait for each other's
 *   fsync, one round trip after another.
 */
import type { Kysely, Transaction } from 'kysely'
import { lockAccount } from '../accounts/account.repository.ts'
import type { AccountBatches, ReadThenWrite } from './account-batches.ts'
import type { GroupCommit } from './group-commit.ts'
import type { Database } from './schema.ts'

export interface Writes {
  /** One transaction for `work` (it locks what it needs itself). */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>
  /** A read-then-write use case, under its account's lock. */
  readThenWrite<R, T>(accountId: number, useCase: ReadThenWrite<R, T>): Promise<T>
}

export function sqliteWrites(group: GroupCommit): Writes {
  return {
    transaction: (work) => group.run(work),
    // One use case per savepoint, and each reads after the writes of the ones before it: nothing
    // is left for a batch memory to carry.
    readThenWrite: (accountId, { read, decide }) =>
      group.run(async (trx) => {
        await lockAccount(trx, accountId)
        const { rows } = await trx.executeQuery(read)
        const { result, writes } = decide(trx, rows[0], new Map())
        for (const write of writes) await trx.executeQuery(write)
        return result
      }),
  }
}

export function postgresWrites(db: Kysely<Database>, batches: AccountBatches): Writes {
  return {
    transaction: (work) => db.transaction().execute(work),
    readThenWrite: (accountId, useCase) => batches.run(accountId, useCase),
  }
}
