/**
 * The fan-out's direct sending (webhook.fan-out.ts) with the webhook worker's rules: what a
 * delivery's first attempt makes of its row (delivered, retried after backoff, failed for good,
 * or untried behind a failure), and a run still under way handed to the worker to settle as if it
 * had claimed it.
 */
import { decide, type Attempt, type Decision, type OutboxWorker, type RetryPolicy } from '../outbox/worker.ts'
import type { Deps } from '../shared/deps.ts'
import type { DirectSend } from './webhook.fan-out.ts'
import type { HttpResult } from './webhook.http.ts'
import type { Claimed } from './webhook.outbox.ts'
import type { DeliveryOutcome, NewDelivery } from './webhook.repository.ts'

/**
 * How long a batch sent directly waits for its runs before writing those still under way as
 * claimed runs: a receiver that hangs holds the other endpoints' events up this long, once.
 */
const WAIT_MS = 500

export function directSend(o: {
  deps: Deps
  leaseMs: number
  retry: RetryPolicy
  /** Sends a run in the sender thread; no attempt starts so late that it could outlast `leaseUntil`. */
  send: DirectSend['send']
  /** The worker, built after this: read when a batch is written. */
  worker: () => Pick<OutboxWorker, 'count'> & {
    adopt(group: number, token: string, attempts: Promise<Attempt<Claimed>[]>): void
  }
}): DirectSend {
  return {
    leaseMs: o.leaseMs,
    waitMs: WAIT_MS,
    send: o.send,
    written(attempt, now) {
      // The first attempt: counted as the worker counts a claimed one.
      const decision: Decision = decide(o.retry, { ...attempt, item: { id: 0, attempts: 1 } }, now)
      const r = attempt.detail as Partial<HttpResult> | undefined
      const delivery = attempt.item
      const outcome: DeliveryOutcome = {
        delivery,
        status:
          decision.kind === 'delivered' ? 'delivered' : decision.kind === 'failed' ? 'failed' : 'pending',
        // Untried behind a failure: no attempt to count.
        attempts: decision.kind === 'released' ? 0 : 1,
        nextAttemptAt: decision.kind === 'retry' ? decision.at : delivery.now,
        statusCode: r?.statusCode ?? null,
        error: attempt.error ?? null,
        response: r?.response ?? null,
        deliveredAt: decision.kind === 'delivered' ? now : null,
      }
      if (decision.kind === 'failed')
        o.deps.log.warn(
          { eventId: delivery.eventId, attempts: 1, error: attempt.error },
          'webhook delivery failed for good',
        )
      return { outcome, decision, gone: r?.statusCode === 410 }
    },
    count: (decisions) => o.worker().count(decisions),
    adopt(webhookId, token, rows, attempts) {
      // As claimQueue returns a run: its head held under the claim, each counting the attempt under way.
      const claimed: Claimed[] = rows.map((r, i) => ({
        id: r.id,
        webhook_id: webhookId,
        event_id: r.eventId,
        payload: r.payload,
        attempts: 1,
        status: i === 0 ? ('sending' as const) : ('pending' as const),
        next_attempt_at: r.now,
        held: i === 0,
      }))
      o.worker().adopt(
        webhookId,
        token,
        attempts.then((sent: Attempt<NewDelivery>[]) =>
          claimed.map((item, i): Attempt<Claimed> => ({ ...(sent[i] ?? { skipped: true }), item })),
        ),
      )
    },
  }
}
