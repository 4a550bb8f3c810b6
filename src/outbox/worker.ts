/**
 * The one outbox worker. Rows (emails, webhook deliveries) are committed with the change they
 * announce; this delivers them. Each kind of row supplies its SQL and its way of sending; the
 * worker owns the rest: a row is claimed by a guarded update (two instances sharing a database
 * never both take it), sent, and settled by the claim's holder: delivered, retried later with
 * exponential backoff, or after the last attempt failed. Claims expire, so a row held by a worker
 * that died is taken up again: delivery is at least once, never twice by two live workers.
 */
import { randomBytes } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Logger } from 'pino'

/** What every outbox row has: the worker counts attempts and groups by this key. */
export interface Claimable {
  readonly id: number
  readonly attempts: number
}

export interface Attempt<T> {
  readonly item: T
  /** Absent: delivered. */
  readonly error?: string
  /** Failed for good, whatever the attempts left (e.g. 410 Gone). */
  readonly final?: boolean
  /** Not attempted (an earlier row of its queue failed): released, its attempt not counted. */
  readonly skipped?: boolean
  /** Whatever the kind wants to record with the outcome (a status code, a response). */
  readonly detail?: unknown
}

export type Decision =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly at: number }
  | { readonly kind: 'failed' }
  | { readonly kind: 'released' }

export interface Settled<T> extends Attempt<T> {
  readonly decision: Decision
}

export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseMs: number
  readonly maxMs: number
  /** Spread retries over [delay/2, delay] so a crowd of failures does not come back at once. */
  readonly jitter: boolean
}

export interface OutboxKind<T extends Claimable> {
  readonly name: string
  readonly pollMs: number
  readonly retry: RetryPolicy
  /** How long a claim lasts: well beyond one pass's sending time. */
  readonly claimMs: number
  /** The longest one attempt may take (its transport's limits): none starts later than that before the claim lapses. */
  readonly attemptMaxMs: number
  /** How long after a row is announced (kick) to look for it: rows announced meanwhile go in the same pass. */
  readonly kickDelayMs: number
  /**
   * Groups sent at once, each on its own (webhook endpoints): a pass hands each due group to a
   * run of its own and does not wait for it, so a receiver that hangs holds up its own queue
   * only, for one bounded attempt. Absent: groups go one after the other within the pass.
   */
  readonly groupsAtOnce?: number
  /**
   * Due rows (ids and the group each is claimed and settled in), oldest first. `byHand`: the
   * pass is an operator's or a test's (deliverDue), not the worker's own.
   */
  findDue(now: number, limit: number, byHand: boolean): Promise<ReadonlyArray<{ id: number; group: number }>>
  /** The transaction a group's claim and settlement run in. */
  transaction<R>(group: number, work: (trx: Transaction<Database>) => Promise<R>): Promise<R>
  /** Claims those of `ids` still due, in one guarded statement, adding one attempt to each. */
  claim(
    trx: Transaction<Database>,
    ids: readonly number[],
    now: number,
    claim: { token: string; until: number },
  ): Promise<T[]>
  /**
   * Sends a group's claimed rows; an outcome per row, in order. No attempt starts after
   * `lastStart` (the clock's time): the rows left are skipped, to be released untried, so that no
   * claim lapses while its row is still being sent (another worker would then send it again).
   */
  send(items: T[], lastStart: number): Promise<Attempt<T>[]>
  /** Records the outcomes under the claim token. */
  settle(trx: Transaction<Database>, token: string, outcomes: Settled<T>[], now: number): Promise<void>
}

export interface PassResult {
  sent: number
  retrying: number
  failed: number
}

/**
 * Due rows looked for at once. Each look costs a query or two for what is due, then a claim and
 * a settlement transaction per group (mail's are its account's, which the account's invitations
 * wait for), however many rows it finds: under a stream of invitations, looks of 20 made every
 * tenth write transaction the mail worker's; looks of 100 made inviteUsers ~9 % faster
 * (docs/benchmarks.md).
 */
const BATCH = 100
/** Where each attempt's outcome is counted in a PassResult. */
const TALLY = { delivered: 'sent', retry: 'retrying', failed: 'failed' } as const satisfies Record<
  Exclude<Decision['kind'], 'released'>,
  keyof PassResult
>

/** How long a kick waits while groups are being sent on their own (groupsAtOnce). */
const BUSY_KICK_DELAY_MS = 200
/** Time allowed beyond an attempt's own limit, for what comes before and after it (settling). */
export const SLACK_MS = 5000

export function backoffMs(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1))
  return policy.jitter ? Math.round(delay / 2 + (random() * delay) / 2) : delay
}

export function decide<T extends Claimable>(policy: RetryPolicy, attempt: Attempt<T>, now: number): Decision {
  if (attempt.skipped) return { kind: 'released' }
  if (attempt.error === undefined) return { kind: 'delivered' }
  if (attempt.final || attempt.item.attempts >= policy.maxAttempts) return { kind: 'failed' }
  return { kind: 'retry', at: now + backoffMs(policy, attempt.item.attempts) }
}

export function outboxWorker<T extends Claimable>(
  kind: OutboxKind<T>,
  clock: () => number,
  log: Logger,
  onStop?: () => void,
  /** Told the result of each attempt (metrics). */
  onAttempt?: (result: 'delivered' | 'retry' | 'failed') => void,
) {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<PassResult> | undefined
  let started = false
  /** What this process's worker has done since it was built (operators, tests). */
  const totals: PassResult = { sent: 0, retrying: 0, failed: 0 }

  /** Groups being sent on their own (groupsAtOnce), by group. */
  const inFlight = new Map<number, Promise<void>>()

  /** Counts attempts made and settled (a pass's result, the process's totals, metrics). */
  function count(decisions: readonly Decision[], result: PassResult) {
    for (const decision of decisions) {
      // Released rows were never tried: no attempt to count.
      if (decision.kind === 'released') continue
      onAttempt?.(decision.kind)
      const key = TALLY[decision.kind]
      result[key]++
      totals[key]++
    }
  }

  /** Settles a group's claimed rows once their attempts are over; whether all were delivered. */
  async function settleGroup(group: number, token: string, attempts: Attempt<T>[], result: PassResult) {
    const settledAt = clock()
    const settled = attempts.map((a) => ({ ...a, decision: decide(kind.retry, a, settledAt) }))
    await kind.transaction(group, (trx) => kind.settle(trx, token, settled, settledAt))
    count(
      settled.map((s) => s.decision),
      result,
    )
    return settled.every((s) => s.decision.kind === 'delivered')
  }

  /**
   * Claims, sends and settles one group's due rows. Returns whether any was claimed, and whether
   * all of them went out (then more may be due behind them: a webhook endpoint's queue is
   * claimed a run at a time).
   */
  async function sendGroup(group: number, ids: number[], result: PassResult) {
    const token = randomBytes(16).toString('hex')
    // Those another worker took meanwhile are no longer due, and are not returned.
    const claimedAt = clock()
    const claimed = await kind.transaction(group, (trx) =>
      kind.claim(trx, ids, claimedAt, { token, until: claimedAt + kind.claimMs }),
    )
    if (claimed.length === 0) return { claimed: false, drained: false }
    const attempts = await kind.send(claimed, claimedAt + kind.claimMs - kind.attemptMaxMs - SLACK_MS)
    return { claimed: true, drained: await settleGroup(group, token, attempts, result) }
  }

  /** Runs a group's task on its own; when it ends, a pass looks for what is due next. */
  function startTask(group: number, task: Promise<unknown>) {
    const done = task
      .then(() => undefined)
      .catch((error: unknown) => log.warn({ err: error }, `${kind.name} outbox group failed`))
      .finally(() => {
        inFlight.delete(group)
        schedule(0)
      })
    inFlight.set(group, done)
  }

  /** Starts a group on its own. */
  function startGroup(group: number, ids: number[]) {
    startTask(group, sendGroup(group, ids, { sent: 0, retrying: 0, failed: 0 }))
  }

  /** A pass; `own`: groups go on their own (groupsAtOnce) and are not waited for. */
  async function deliver(own: boolean): Promise<PassResult> {
    const result: PassResult = { sent: 0, retrying: 0, failed: 0 }
    const now = clock()
    for (;;) {
      const due = await kind.findDue(now, BATCH, !own)
      let claimedAny = false
      // A group whose claimed rows all went out may have more due behind them: look again
      // rather than wait for the poll.
      let drainedAGroup = false
      const byGroup = new Map<number, number[]>()
      for (const { id, group } of due) {
        const same = byGroup.get(group)
        if (same) same.push(id)
        else byGroup.set(group, [id])
      }
      for (const [group, ids] of byGroup) {
        // Its run, already out on its own, looks again when it ends.
        if (inFlight.has(group)) continue
        if (own && kind.groupsAtOnce !== undefined) {
          if (inFlight.size < kind.groupsAtOnce) startGroup(group, ids)
          continue
        }
        const sent = await sendGroup(group, ids, result)
        claimedAny ||= sent.claimed
        drainedAGroup ||= sent.drained
      }
      if (!claimedAny || (due.length < BATCH && !drainedAGroup)) return result
    }
  }

  /**
   * One delivery pass, every group sent and settled before it returns (operators, tests);
   * concurrent callers share the pass in progress.
   */
  function deliverDue(own = false): Promise<PassResult> {
    running ??= deliver(own).finally(() => (running = undefined))
    return running
  }

  let dueAt = Infinity
  /** A kick came during the pass in progress: a pass is scheduled when it ends. */
  let kickAfterPass = false

  /** Runs a pass after `delay`, unless one is already scheduled sooner. */
  function schedule(delay: number) {
    if (!started) return
    if (timer && dueAt <= Date.now() + delay) return
    clearTimeout(timer)
    dueAt = Date.now() + delay
    timer = setTimeout(() => {
      timer = undefined
      dueAt = Infinity
      deliverDue(true)
        .catch((error: unknown) => log.warn({ err: error }, `${kind.name} outbox pass failed`))
        .finally(() => schedule(kind.pollMs))
    }, delay)
    timer.unref()
  }

  return {
    deliverDue: () => deliverDue(false),
    totals: (): PassResult => ({ ...totals }),
    /** Counts attempts made and settled outside the worker's passes (a kind that sends on its own). */
    count: (decisions: readonly Decision[]) => count(decisions, { sent: 0, retrying: 0, failed: 0 }),
    /**
     * Takes over rows claimed under `token` elsewhere (a kind that claims and starts sending on
     * its own): settles them once their attempts end, as if this worker had claimed them.
     */
    adopt(group: number, token: string, attempts: Promise<Attempt<T>[]>) {
      startTask(
        group,
        attempts.then((a) => settleGroup(group, token, a, { sent: 0, retrying: 0, failed: 0 })),
      )
    },
    /** Polls every pollMs until stop(). */
    start() {
      if (started) return
      started = true
      schedule(0)
    },
    /** A row was just committed (or is about to be): deliver it after `delay` rather than at the next poll. */
    kick(delay = kind.kickDelayMs) {
      if (!started) return
      // While runs are out, their ends look again anyway; a row for another group waits a
      // little longer, and a stream of rows does not make a look each.
      if (inFlight.size > 0) delay = Math.max(delay, BUSY_KICK_DELAY_MS)
      if (!running) return schedule(delay)
      // Under a stream of rows a pass is nearly always running: one wait for its end, not one
      // per row announced meanwhile (every kick uses the kind's delay).
      if (kickAfterPass) return
      kickAfterPass = true
      void running.finally(() => {
        kickAfterPass = false
        schedule(delay)
      })
    },
    async stop() {
      started = false
      clearTimeout(timer)
      timer = undefined
      await running?.catch(() => {})
      await Promise.all(inFlight.values())
      onStop?.()
    },
  }
}

export type OutboxWorker = ReturnType<typeof outboxWorker>
