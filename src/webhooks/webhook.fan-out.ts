/**
 * Turns committed audit events into webhook deliveries, one per event and subscribed endpoint,
 * after the change rather than inside it: a change writes its audit row and nothing more, however
 * many endpoints its account has (issue 12's cost goal). The audit log is read in commit order
 * from one shared position (webhook_fan_out); the deliveries of a batch and the move of that
 * position commit together, and only the worker that still finds the position where it read it
 * moves it, so each event is fanned out once, even with several instances, and again after a crash
 * only if its deliveries were never written.
 *
 * The worker's own looks send too (`direct`): an endpoint whose queue is empty is sent its events
 * of the batch straight away, in order, while the batch holds the position under a lease, and
 * each delivery is then written once, with its outcome. That saves the pending row, its claim and
 * its settlement (issue 12's cost goal). Ordering and the rest are the queue's: an endpoint with
 * open deliveries gets pending rows behind them; the first failure leaves the rest of its run
 * pending, untried; a run still under way when the batch has waited `waitMs` is written as a
 * claimed run and settled by the worker when it ends, so a receiver that hangs holds the other
 * endpoints up for that long once, not for its whole timeout. A worker that dies holding the
 * lease wrote nothing: the lease lapses and the next one sends the batch again, with the same
 * webhook-ids (eventIdOf), as after any crash mid-attempt.
 *
 * An event goes to the endpoints of its account that were enabled when it was made (by their
 * enabled_since and disabled_at), whenever it is fanned out (a few milliseconds after the change,
 * under load): an endpoint never receives what happened before it was created, or while it was
 * disabled.
 */
import { randomBytes } from 'node:crypto'
import { setTimeout } from 'node:timers/promises'
import type { Attempt, Decision } from '../outbox/worker.ts'
import type { Deps } from '../shared/deps.ts'
import { eventsOf, actorOfChange, eventIdOf, payloadOf, subscribes } from './webhook.events.ts'
import {
  anyWebhook,
  auditEventsAfter,
  auditEventsHeldBack,
  existingWebhooks,
  fanOutEndpoints,
  fanOutState,
  lastFinalAuditEvent,
  leaseFanOut,
  moveFanOut,
  releaseFanOut,
  saltFanOut,
  type FanOutPosition,
  type FanOutState,
  type ReadBackEvent,
} from './webhook.fan-out.repository.ts'
import {
  disableWebhook,
  endpointsWithOpenQueues,
  insertClaimedRun,
  insertDeliveries,
  insertOutcomes,
  type DeliveryOutcome,
  type NewDelivery,
} from './webhook.repository.ts'
import { webhookSignal } from './webhook.signal.ts'

/** Audit events read per batch. */
const BATCH = 500
/** Deliveries per insert: far below both engines' bound-parameter limits. */
const INSERT_ROWS = 500
/** Batches per look: a backlog beyond this waits for the next look, so sending is not starved. */
const BATCHES_PER_LOOK = 20
/** How often a look waiting for events held back by a transaction still running looks again. */
const HELD_POLL_MS = 10
/** With no endpoint at all, the position only follows the log this often (it need not be exact). */
const IDLE_FOLLOW_MS = 10_000
/** Endpoints of one batch sent to directly; the others' deliveries are queued. */
const DIRECT_ENDPOINTS = 16

export type FanOutEndpoint = Awaited<ReturnType<typeof fanOutEndpoints>>[number]
type Sent = Attempt<NewDelivery>

/** How the worker's looks send directly (webhook.outbox.ts). */
export interface DirectSend {
  /** How long the batch holds the position (the worker's claim time). */
  readonly leaseMs: number
  /** How long the batch waits for its runs before writing those still under way as claimed. */
  readonly waitMs: number
  /**
   * Sends an endpoint's deliveries in order, stopping at the first failure; none starts so late
   * that it could outlast the lease (`leaseUntil`).
   */
  send(endpoint: FanOutEndpoint, rows: readonly NewDelivery[], leaseUntil: number): Promise<Sent[]>
  /** What an attempt makes of its delivery's row; `gone`: the receiver answered 410. */
  written(attempt: Sent, now: number): { outcome: DeliveryOutcome; decision: Decision; gone: boolean }
  /** Attempts over, written: counted. */
  count(decisions: readonly Decision[]): void
  /** A run written as claimed (`ids`, in order) while its attempts go on: the worker settles it. */
  adopt(
    webhookId: number,
    token: string,
    rows: readonly (NewDelivery & { id: number })[],
    attempts: Promise<Sent[]>,
  ): void
}

/** One endpoint's run of a batch sent directly; `attempts` is set once it is over. */
interface Run {
  readonly endpoint: FanOutEndpoint
  readonly rows: NewDelivery[]
  readonly sending: Promise<Sent[]>
  attempts?: Sent[]
}

export function webhookFanOut(deps: Deps) {
  const { db, engine, writes } = deps.database
  let idleFollowedAt = -Infinity

  /** The position, made first if there is none yet (a new database, or one copied). */
  async function state(): Promise<FanOutState & { salt: string }> {
    const read = await fanOutState(db)
    if (read.salt !== null) return { ...read, salt: read.salt }
    await writes.transaction((trx) => saltFanOut(trx, randomBytes(6).toString('hex')))
    return state()
  }

  /** Moves the position to the end of the log without fanning out (no endpoint to send to). */
  async function followIdle(now: number) {
    if (now - idleFollowedAt < IDLE_FOLLOW_MS) return
    idleFollowedAt = now
    const from = await state()
    const last = await lastFinalAuditEvent(db, engine.kind)
    // Read after the log's end: an endpoint created after this look sees only later events.
    if (await anyWebhook(db)) return
    if (!last || (last.tx === from.tx && last.auditId === from.auditId)) return
    await writes.transaction((trx) => moveFanOut(trx, from, last, { now }))
  }

  /** Queues the deliveries of a batch: written pending, the position moved, in one transaction. */
  async function queue(from: FanOutPosition, to: FanOutPosition, rows: readonly NewDelivery[], now: number) {
    return writes.transaction(async (trx) => {
      if (!(await moveFanOut(trx, from, to, { now }))) return false
      for (let i = 0; i < rows.length; i += INSERT_ROWS)
        await insertDeliveries(trx, rows.slice(i, i + INSERT_ROWS))
      return true
    })
  }

  /**
   * Sends the runs of endpoints with empty queues straight away under a lease on the position,
   * then writes every delivery of the batch and moves the position. False when another worker
   * holds the position, or took it over from this one (whose lease lapsed): it writes the batch.
   */
  async function sendDirectly(
    direct: DirectSend,
    from: FanOutPosition,
    to: FanOutPosition,
    rows: readonly NewDelivery[],
    endpoints: readonly FanOutEndpoint[],
    now: number,
  ) {
    const byEndpoint = new Map<number, NewDelivery[]>()
    for (const row of rows) {
      const same = byEndpoint.get(row.webhookId)
      if (same) same.push(row)
      else byEndpoint.set(row.webhookId, [row])
    }
    const open = await endpointsWithOpenQueues(db, [...byEndpoint.keys()])
    const sentNow = endpoints
      .filter((e) => byEndpoint.has(e.id) && !open.has(e.id) && e.disabled_at === null)
      .slice(0, DIRECT_ENDPOINTS)
    if (sentNow.length === 0) return queue(from, to, rows, now)
    const lease = { token: randomBytes(16).toString('hex'), until: now + direct.leaseMs }
    if (!(await writes.transaction((trx) => leaseFanOut(trx, from, lease, now)))) return false
    const runs: Run[] = sentNow.map((endpoint) => {
      const rows = byEndpoint.get(endpoint.id)!
      const run: Run = { endpoint, rows, sending: direct.send(endpoint, rows, lease.until) }
      // What is left in byEndpoint is queued.
      byEndpoint.delete(endpoint.id)
      void run.sending.then((attempts) => (run.attempts = attempts)).catch(() => {})
      return run
    })
    await settledWithin(
      runs.map((r) => r.sending),
      direct.waitMs,
    )
    const settledAt = deps.clock()
    const decisions: Decision[] = []
    const adopted: { run: Run; ids: Map<string, number> }[] = []
    const write = writes.transaction(async (trx) => {
      if (!(await moveFanOut(trx, from, to, { token: lease.token }))) return false
      // An endpoint deleted since it was read takes its deliveries with it.
      const live = await existingWebhooks(trx, [...new Set(rows.map((r) => r.webhookId))])
      const queued = [...byEndpoint.values()].flat().filter((r) => live.has(r.webhookId))
      for (let i = 0; i < queued.length; i += INSERT_ROWS)
        await insertDeliveries(trx, queued.slice(i, i + INSERT_ROWS))
      for (const run of runs) {
        if (!live.has(run.endpoint.id)) continue
        if (run.attempts) {
          const written: DeliveryOutcome[] = []
          let gone = false
          for (const attempt of run.attempts) {
            const w = direct.written(attempt, settledAt)
            written.push(w.outcome)
            decisions.push(w.decision)
            gone ||= w.gone
          }
          await insertOutcomes(trx, written)
          if (gone) await disableWebhook(trx, run.endpoint.id, settledAt)
        } else {
          // Still under way: written as the worker writes a run it claims, its head sending.
          const ids = await insertClaimedRun(trx, run.rows, lease)
          adopted.push({ run, ids })
        }
      }
      return true
    })
    // Written or not, the batch goes again at the next look, not after the lease lapses.
    const moved = await write.catch(async (error: unknown) => {
      await writes.transaction((trx) => releaseFanOut(trx, lease.token))
      throw error
    })
    if (!moved) return false
    direct.count(decisions)
    for (const { run, ids } of adopted)
      direct.adopt(
        run.endpoint.id,
        lease.token,
        run.rows.map((r) => ({ ...r, id: ids.get(r.eventId)! })),
        run.sending,
      )
    return true
  }

  /**
   * Fans out one batch: 'more' when a full batch went out (more may follow), 'held' when
   * committed events wait behind a transaction still running (PostgreSQL) or another worker is
   * sending the batch, 'done' otherwise.
   */
  async function batch(direct: DirectSend | undefined): Promise<'more' | 'held' | 'done'> {
    const from = await state()
    const now = deps.clock()
    if (from.lease && from.lease.until > now) return 'held'
    const events = await auditEventsAfter(db, engine.kind, from, BATCH)
    const last = events.at(-1)
    if (!last) return (await auditEventsHeldBack(db, engine.kind, from)) ? 'held' : 'done'
    // Read after the events: an endpoint created meanwhile is not missed for those made after it.
    const endpoints = await fanOutEndpoints(db, events[0]!.created_at)
    const rows = deliveriesOf(from.salt, events, endpoints)
    const to = { tx: last.tx, auditId: last.id }
    const moved = direct
      ? await sendDirectly(direct, from, to, rows, endpoints, now)
      : await queue(from, to, rows, now)
    // Another worker moved it first: the events are its to fan out.
    if (!moved) return 'done'
    if (events.length === BATCH) return 'more'
    return (await auditEventsHeldBack(db, engine.kind, to)) ? 'held' : 'done'
  }

  /**
   * Fans out what the audit log holds beyond the position, sending directly where `direct` says
   * how (the worker's own looks), else only queueing. Events held back by a transaction still
   * running (PostgreSQL), or by another worker sending them, are waited for up to `waitMs`: a look
   * by hand or a listing of the log (waitMs > 0) then covers every change committed before it in
   * the normal case. Returns whether some were still held when it returned: they go at a later
   * look, never lost.
   */
  return async function fanOut(now: number, waitMs: number, direct?: DirectSend): Promise<boolean> {
    const some = await anyWebhook(db)
    webhookSignal.endpointsExist(some)
    if (!some) {
      await followIdle(now)
      return false
    }
    const waitUntil = Date.now() + waitMs
    for (let batches = 0; batches < BATCHES_PER_LOOK;) {
      const outcome = await batch(direct)
      if (outcome === 'more') batches++
      else if (outcome === 'done') return false
      else if (Date.now() < waitUntil) await setTimeout(HELD_POLL_MS)
      else return true
    }
    return false
  }
}

/** Waits for every promise to settle, or for `ms`, whichever comes first. */
async function settledWithin(promises: readonly Promise<unknown>[], ms: number) {
  const timer = new AbortController()
  await Promise.race([
    Promise.allSettled(promises),
    setTimeout(ms, undefined, { signal: timer.signal }).catch(() => {}),
  ])
  timer.abort()
}

/** One delivery per event and subscribed endpoint of its account, in the log's order. */
function deliveriesOf(
  salt: string,
  events: readonly ReadBackEvent[],
  endpoints: readonly FanOutEndpoint[],
): NewDelivery[] {
  const byAccount = new Map<number, FanOutEndpoint[]>()
  for (const e of endpoints) {
    const same = byAccount.get(e.account_id)
    if (same) same.push(e)
    else byAccount.set(e.account_id, [e])
  }
  const rows: NewDelivery[] = []
  for (const change of events) {
    const hooks = byAccount
      .get(change.account_id)
      ?.filter(
        (h) =>
          Number(h.enabled_since) <= change.created_at &&
          (h.disabled_at === null || Number(h.disabled_at) > change.created_at),
      )
    if (!hooks?.length) continue
    eventsOf(change).forEach((event, index) => {
      const eventId = eventIdOf(salt, change, index)
      const payload = payloadOf(change.account_id, event, actorOfChange(change), change.created_at)
      for (const hook of hooks) {
        if (!subscribes(hook.events, event.type)) continue
        rows.push({
          accountId: change.account_id,
          webhookId: hook.id,
          eventId,
          type: event.type,
          payload,
          now: change.created_at,
        })
      }
    })
  }
  return rows
}
