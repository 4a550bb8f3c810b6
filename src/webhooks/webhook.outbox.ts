/**
 * Webhook deliveries as one kind of the outbox (outbox/worker.ts). A group is one endpoint: the
 * worker claims the head of its queue, which holds the run of deliveries behind it
 * (claimQueue), sends them in order, and stops at the first failure (the rest stay pending,
 * untried, so order holds). Claims and outcomes are written here; the sending itself
 * (webhook.run.ts) happens in the sender thread.
 */
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import {
  outboxWorker,
  SLACK_MS,
  type Attempt,
  type OutboxKind,
  type RetryPolicy,
  type Settled,
} from '../outbox/worker.ts'
import type { Deps } from '../shared/deps.ts'
import type { HttpResult } from './webhook.http.ts'
import type { RunOutcome } from './webhook.run.ts'
import {
  claimQueue,
  disableWebhook,
  findDueHeads,
  runEndpointOf,
  settleDelivered,
  settleDelivery,
  type Settler,
} from './webhook.repository.ts'
import { directSend } from './webhook.direct-send.ts'
import { webhookFanOut } from './webhook.fan-out.ts'
import { webhookSender } from './webhook.sender.ts'
import { webhookSignal } from './webhook.signal.ts'

export type Claimed = Awaited<ReturnType<typeof claimQueue>>[number]
/** What sending needs of an endpoint. */
export type RunEndpoint = Pick<
  NonNullable<Awaited<ReturnType<typeof runEndpointOf>>>,
  'url' | 'secret' | 'previous_secret' | 'previous_secret_until'
>

/** Deliveries sent per endpoint and pass, behind the queue's head. */
const RUN = 200
/** Endpoints sent to at once; the others' due queues wait for a free slot. */
const ENDPOINTS_AT_ONCE = 16
/** A look by hand (operators, tests) waits this long for events held back by a running transaction. */
const HELD_WAIT_MS = 10_000
/** When events were held back, the worker looks again after this. */
const HELD_LOOK_MS = 50
/** The hint comes from inside the writing transaction: look once it has likely committed. */
const KICK_DELAY_MS = 20

export function webhookOutbox(deps: Deps) {
  const { db } = deps.database
  const config = deps.config.webhooks
  const claimMs = 3 * config.timeoutMs + 2 * SLACK_MS
  const policy = { allowHttp: config.allowHttp, allowPrivate: config.allowPrivate }
  const sender = webhookSender()
  const fanOut = webhookFanOut(deps)

  /** One delivery's outcome; false when the settler no longer holds the queue. */
  async function settleOne(trx: Transaction<Database>, o: Settled<Claimed>, settler: Settler, now: number) {
    const r = (o.detail ?? {}) as Partial<HttpResult>
    const base = {
      statusCode: r.statusCode ?? null,
      error: o.error ?? null,
      response: r.response ?? null,
      deliveredAt: null,
    }
    const d = o.decision
    const outcome =
      d.kind === 'delivered'
        ? { status: 'delivered' as const, deliveredAt: now }
        : d.kind === 'retry'
          ? { status: 'pending' as const, nextAttemptAt: d.at }
          : d.kind === 'failed'
            ? { status: 'failed' as const }
            : { status: 'pending' as const, release: true }
    const settled = await settleDelivery(trx, o.item.id, settler, { ...base, ...outcome })
    if (!settled) return false
    if (r.statusCode === 410) await disableWebhook(trx, o.item.webhook_id, now)
    if (d.kind === 'failed')
      deps.log.warn(
        { deliveryId: o.item.id, attempts: o.item.attempts, error: o.error },
        'webhook delivery failed for good',
      )
    return true
  }

  async function settle(
    trx: Transaction<Database>,
    token: string,
    outcomes: Settled<Claimed>[],
    now: number,
  ) {
    // The head first, under its claim: the rest of the run is this worker's only while it holds it.
    const [head, ...run] = outcomes
    if (!head?.item.held || !(await settleOne(trx, head, { held: true, token }, now))) return
    // The delivered ones in a statement per distinct answer; the rest one by one. Those skipped
    // untried were never written to: they stay as they are, pending.
    const delivered = new Map<string, { answer: Partial<HttpResult>; ids: number[] }>()
    for (const o of run) {
      if (o.decision.kind !== 'delivered') continue
      const answer = (o.detail ?? {}) as Partial<HttpResult>
      const key = `${answer.statusCode ?? ''}\u0000${answer.response ?? ''}`
      const same = delivered.get(key)
      if (same) same.ids.push(o.item.id)
      else delivered.set(key, { answer, ids: [o.item.id] })
    }
    for (const { answer, ids } of delivered.values())
      await settleDelivered(trx, ids, {
        statusCode: answer.statusCode ?? null,
        response: answer.response ?? null,
        deliveredAt: now,
      })
    for (const o of run)
      if (o.decision.kind !== 'delivered' && o.decision.kind !== 'released')
        await settleOne(trx, o, { held: false }, now)
  }

  /** Sends one endpoint's run in the sender thread: an outcome per delivery, in order. */
  function sendRun(
    hook: RunEndpoint | undefined,
    deliveries: ReadonlyArray<{ event_id: string; payload: string }>,
    lastStart: number,
  ) {
    const clockOffsetMs = deps.clock() - Date.now()
    return sender.send({
      endpoint: hook && {
        url: hook.url,
        secret: hook.secret,
        previousSecret: hook.previous_secret,
        previousSecretUntil: hook.previous_secret_until,
      },
      deliveries: deliveries.map((d) => ({ eventId: d.event_id, payload: d.payload })),
      policy,
      timeoutMs: config.timeoutMs,
      // The thread keeps wall-clock time.
      lastStart: lastStart - clockOffsetMs,
      clockOffsetMs,
    })
  }

  function attemptOf<T>(item: T, outcome: RunOutcome | undefined): Attempt<T> {
    if (!outcome || outcome.kind === 'skipped') return { item, skipped: true }
    if (outcome.kind === 'sent') return { item, detail: outcome.result }
    return { item, error: outcome.result.error ?? 'failed', final: outcome.final, detail: outcome.result }
  }

  const retry: RetryPolicy = {
    maxAttempts: config.maxAttempts,
    baseMs: config.retryBaseMs,
    maxMs: 24 * 3_600_000,
    jitter: true,
  }

  /** The fan-out's direct sending, with this worker's rules (webhook.direct-send.ts). */
  const direct = directSend({
    deps,
    leaseMs: claimMs,
    retry,
    async send(endpoint, rows, leaseUntil) {
      const deliveries = rows.map((r) => ({ event_id: r.eventId, payload: r.payload }))
      const outcomes = await sendRun(endpoint, deliveries, leaseUntil - config.timeoutMs - SLACK_MS)
      return rows.map((row, i) => attemptOf(row, outcomes[i]))
    },
    worker: () => worker,
  })

  const kind: OutboxKind<Claimed> = {
    name: 'webhook',
    pollMs: config.pollMs,
    retry,
    // A run starts no attempt later than claimMs - timeout - slack (outbox/worker.ts), so the
    // claim outlives it; and a claim left by a dead worker is taken up within this.
    claimMs,
    attemptMaxMs: config.timeoutMs,
    kickDelayMs: KICK_DELAY_MS,
    // Each endpoint's queue on its own: one receiver that hangs delays only its own events.
    groupsAtOnce: ENDPOINTS_AT_ONCE,
    async findDue(now, limit, byHand) {
      // The events committed since the last look become deliveries first. The worker's own
      // passes do not wait for events held back by a running transaction: they look again soon.
      // Its own looks send to endpoints with nothing queued straight away (webhook.fan-out.ts);
      // a look by hand only queues, and sends what is due like any other.
      if (byHand ? await fanOut(now, HELD_WAIT_MS) : await fanOut(now, 0, direct)) worker.kick(HELD_LOOK_MS)
      const heads = await findDueHeads(db, now, limit)
      return heads.map((h) => ({ id: h.id, group: h.webhook_id }))
    },
    transaction: (_webhookId, work) => deps.database.writes.transaction(work),
    claim: (trx, ids, now, claim) => claimQueue(trx, ids, now, claim, RUN - 1),
    async send(deliveries, lastStart) {
      // A run is one endpoint's queue (claimQueue).
      const first = deliveries[0]
      const hook = first ? await runEndpointOf(db, first.webhook_id) : undefined
      const outcomes = await sendRun(hook, deliveries, lastStart)
      return deliveries.map((item, i) => attemptOf(item, outcomes[i]))
    },
    settle,
  }

  const worker = outboxWorker(
    kind,
    deps.clock,
    deps.log,
    () => {
      unsubscribe?.()
      void sender.close()
    },
    (result) => deps.metrics?.deliveryAttempts.inc({ outbox: 'webhooks', result }),
  )
  let unsubscribe: (() => void) | undefined
  return {
    ...worker,
    /** The fan-out this worker runs before each look, for the delivery log to run first (webhook.service.ts). */
    fanOut,
    start() {
      unsubscribe ??= webhookSignal.on(() => worker.kick())
      worker.start()
    },
  }
}

export type WebhookOutbox = ReturnType<typeof webhookOutbox>
