/**
 * Group commit for PostgreSQL's read-then-write use cases (inviteUsers; transaction.ts
 * inAccountReadThenWrite). They lock their account first, and PostgreSQL holds a lock until the
 * COMMIT is on disk, so invitations to one account waited for each other's fsync one by one,
 * while the server, which groups the fsyncs of concurrent commits, had nothing to group. So use
 * cases to the same account that arrive while one is under way share the next transaction, and
 * one COMMIT acknowledges them all (as group-commit.ts does on SQLite):
 * - Two round trips per batch, whatever its size: the lock with every use case's read, then
 *   every use case's writes with the COMMIT. Each round trip is time the account stays locked
 *   (and costs the server a wake-up), so they are not made per use case.
 * - The use cases are decided in arrival order (the serial order the lock gives anyway). Their
 *   reads all ran before the batch wrote anything, so what the ones before have decided reaches
 *   each through a BatchMemory the use cases keep themselves (invitation.service.ts: the flood
 *   limits' buckets, a re-invited address). A batch holds one account's lock and no other, so
 *   batches cannot deadlock on each other.
 * - A refused use case (decide throws) writes nothing; the others go on.
 * - A statement that fails aborts the transaction: nothing of the batch is written, and each of
 *   its use cases runs again in a transaction of its own, so only the one at fault fails (not
 *   when the database is away, nor after a COMMIT cut off: then whether it committed is unknown,
 *   as for any transaction, and every use case of the batch fails).
 * - Nobody is answered before the COMMIT: if it fails, every use case of the batch fails (none
 *   of them is durable).
 */
import { CompiledQuery, type Kysely } from 'kysely'
import { lockAccountStatement } from '../accounts/account.repository.ts'
import { Batches, type Pending as BatchPending } from './batches.ts'
import { sendTogether } from './pipeline.ts'
import type { Database } from './schema.ts'
import { combinedWrites } from './write-together.ts'

/** What a read-then-write use case decided: its answer, and the writes that make it so. */
export interface Decided<T> {
  readonly result: T
  readonly writes: readonly CompiledQuery[]
}

/**
 * What the use cases decided before this one in the same transaction, for what their writes
 * change that this one's read, made before those writes, cannot show. Each kind of use case keeps
 * its own keys; a use case that is refused leaves it as it was.
 */
export type BatchMemory = Map<string, unknown>

/** A kind of use case's own part of the batch memory, made by `init` for the batch's first. */
export function memoryOf<M>(memory: BatchMemory, kind: string, init: () => M): M {
  if (!memory.has(kind)) memory.set(kind, init())
  return memory.get(kind) as M
}

/**
 * One use case: its read, and what it decides from the row read and the batch's memory
 * (synchronous: it cannot query).
 */
export interface ReadThenWrite<R, T> {
  readonly read: CompiledQuery<R>
  decide(db: Kysely<Database>, row: R | undefined, memory: BatchMemory): Decided<T>
}

type Pending = BatchPending<ReadThenWrite<unknown, unknown>>

type Attempt = { ok: true; settle(): void } | { ok: false; error: unknown }

export class AccountBatches {
  /** Use cases waiting, per account with a batch under way. */
  private readonly batches = new Batches((accountId: number, batch: Pending[]) =>
    this.commit(accountId, batch),
  )

  /** `isUnavailable`: the error means the database is away (then nothing is tried again). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isUnavailable: (error: unknown) => boolean,
  ) {}

  run<R, T>(accountId: number, useCase: ReadThenWrite<R, T>): Promise<T> {
    return this.batches.add(accountId, useCase as ReadThenWrite<unknown, unknown>)
  }

  private async commit(accountId: number, batch: Pending[]) {
    const attempt = await this.attempt(accountId, batch)
    if (attempt.ok) return attempt.settle()
    if (batch.length > 1 && !this.isUnavailable(attempt.error)) {
      // A statement failed and nothing was written: each again on its own, to fail alone.
      for (const pending of batch) {
        const alone = await this.attempt(accountId, [pending])
        if (alone.ok) alone.settle()
        else pending.reject(alone.error)
      }
    } else for (const pending of batch) pending.reject(attempt.error)
  }

  /** One transaction for the batch; its answers are given (settle) only once it committed. */
  private async attempt(accountId: number, batch: Pending[]): Promise<Attempt> {
    const settle: (() => void)[] = []
    try {
      await this.db.connection().execute(async (conn) => {
        try {
          // The lock once (it raises the team's version too: once per commit is what caches
          // need), with every read.
          const reads = batch.map((pending) => pending.work.read)
          const rows = await sendTogether(conn, [BEGIN, lockAccountStatement(conn, accountId), ...reads])
          const memory: BatchMemory = new Map()
          const writes: CompiledQuery[] = []
          for (const [index, pending] of batch.entries()) {
            try {
              const decided = pending.work.decide(conn, rows[2 + index]?.[0], memory)
              writes.push(...combinedWrites(conn, decided.writes))
              settle.push(() => pending.resolve(decided.result))
            } catch (error) {
              settle.push(() => pending.reject(error))
            }
          }
          await sendTogether(conn, [...writes, COMMIT])
        } catch (error) {
          // After a failed statement the COMMIT (if sent) has rolled back already; this then only warns.
          await conn.executeQuery(ROLLBACK).catch(() => {})
          throw error
        }
      })
    } catch (error) {
      return { ok: false, error }
    }
    return { ok: true, settle: () => settle.forEach((s) => s()) }
  }
}

const BEGIN = CompiledQuery.raw('begin')
const COMMIT = CompiledQuery.raw('commit')
const ROLLBACK = CompiledQuery.raw('rollback')
