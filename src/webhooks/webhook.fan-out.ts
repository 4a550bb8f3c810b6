/**
 * Turns committed audit events into webhook deliveries, one per event and subscribed endpoint,
 * after the change rather than inside it: a change writes its audit row and nothing more, however
 * many endpoints its account has (issue 12's cost goal). The audit log is read in commit order
 * from one shared position (webhook_fan_out); the deliveries of a batch and the move of that
 * position commit together, and only the worker that still finds the position where it read it
 * moves it, so each event is fanned out once, even with several instances, and again after a crash
 * only if its deliveries were never written.
 *
 * An event goes to the endpoints of its account that were enabled when it was made (by their
 * enabled_since and disabled_at), whenever it is fanned out (a few milliseconds after the change,
 * under load): an endpoint never receives what happened before it was created, or while it was
 * disabled.
 */
import { setTimeout } from 'node:timers/promises'
import type { Deps } from '../shared/deps.ts'
import { eventsOf, actorOfChange, newEventId, payloadOf, subscribes } from './webhook.events.ts'
import {
  anyWebhook,
  auditEventsAfter,
  auditEventsHeldBack,
  fanOutEndpoints,
  fanOutPosition,
  insertDeliveries,
  lastFinalAuditEvent,
  moveFanOut,
  type NewDelivery,
  type ReadBackEvent,
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

type Endpoint = Awaited<ReturnType<typeof fanOutEndpoints>>[number]

export function webhookFanOut(deps: Deps) {
  const { db, engine, writes } = deps.database
  let idleFollowedAt = -Infinity

  /** Moves the position to the end of the log without fanning out (no endpoint to send to). */
  async function followIdle(now: number) {
    if (now - idleFollowedAt < IDLE_FOLLOW_MS) return
    idleFollowedAt = now
    const from = await fanOutPosition(db)
    const last = await lastFinalAuditEvent(db, engine.kind)
    // Read after the log's end: an endpoint created after this look sees only later events.
    if (await anyWebhook(db)) return
    if (!last || (last.tx === from.tx && last.auditId === from.auditId)) return
    await writes.transaction((trx) => moveFanOut(trx, from, last))
  }

  /**
   * Fans out one batch: 'more' when a full batch went out (more may follow), 'held' when
   * committed events wait behind a transaction still running (PostgreSQL), 'done' otherwise.
   */
  async function batch(): Promise<'more' | 'held' | 'done'> {
    const from = await fanOutPosition(db)
    const events = await auditEventsAfter(db, engine.kind, from, BATCH)
    const last = events.at(-1)
    if (!last) return (await auditEventsHeldBack(db, engine.kind, from)) ? 'held' : 'done'
    // Read after the events: an endpoint created meanwhile is not missed for those made after it.
    const rows = deliveriesOf(events, await fanOutEndpoints(db, events[0]!.created_at))
    const to = { tx: last.tx, auditId: last.id }
    const moved = await writes.transaction(async (trx) => {
      if (!(await moveFanOut(trx, from, to))) return false
      for (let i = 0; i < rows.length; i += INSERT_ROWS)
        await insertDeliveries(trx, rows.slice(i, i + INSERT_ROWS))
      return true
    })
    // Another worker moved it first: the events are its to fan out.
    if (!moved) return 'done'
    if (events.length === BATCH) return 'more'
    return (await auditEventsHeldBack(db, engine.kind, to)) ? 'held' : 'done'
  }

  /**
   * Fans out what the audit log holds beyond the position. Events held back by a transaction
   * still running (PostgreSQL) are waited for up to `waitMs`: a look by hand or a listing of the
   * log (waitMs > 0) then covers every change committed before it in the normal case. Returns
   * whether some were still held when it returned: they go at a later look, never lost.
   */
  return async function fanOut(now: number, waitMs: number): Promise<boolean> {
    const some = await anyWebhook(db)
    webhookSignal.endpointsExist(some)
    if (!some) {
      await followIdle(now)
      return false
    }
    const waitUntil = Date.now() + waitMs
    for (let batches = 0; batches < BATCHES_PER_LOOK;) {
      const outcome = await batch()
      if (outcome === 'more') batches++
      else if (outcome === 'done') return false
      else if (Date.now() < waitUntil) await setTimeout(HELD_POLL_MS)
      else return true
    }
    return false
  }
}

/** One delivery per event and subscribed endpoint of its account, in the log's order. */
function deliveriesOf(events: readonly ReadBackEvent[], endpoints: readonly Endpoint[]): NewDelivery[] {
  const byAccount = new Map<number, Endpoint[]>()
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
    for (const event of eventsOf(change)) {
      const eventId = newEventId()
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
    }
  }
  return rows
}
