/**
 * Roster's Prometheus metrics, one registry per app (tests build many apps in one process).
 * Every label value comes from a fixed set — route patterns, methods, status codes, outcomes —
 * never from an email, an id or a raw URL, so the number of series stays bounded.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Deps } from '../shared/deps.ts'
import {
  activeSessions,
  mailOutboxDepth,
  oldestPendingMail,
  oldestPendingWebhook,
  webhookOutboxDepth,
} from './metrics.repository.ts'

export type SignInResult = 'success' | 'failure' | 'mfa' | 'locked'
export type DeliveryResult = 'delivered' | 'retry' | 'failed'

export interface Metrics {
  readonly registry: Registry
  readonly httpRequests: Counter<'route' | 'method' | 'status'>
  readonly httpDuration: Histogram<'route' | 'method'>
  readonly transactionDuration: Histogram<'outcome'>
  readonly transactionErrors: Counter
  readonly signIns: Counter<'result'>
  readonly rateLimited: Counter<'route'>
  readonly deliveryAttempts: Counter<'outbox' | 'result'>
}

const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'logged', 'failed', 'superseded']
const WEBHOOK_STATUSES = ['pending', 'delivered', 'failed']

export function createMetrics(deps: Pick<Deps, 'database' | 'clock' | 'config'>): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'roster_' })
  const db = deps.database.db

  // Read at scrape time, so they are exact whichever instance made the change.
  new Gauge({
    name: 'roster_outbox_messages',
    help: 'Messages in an outbox, by outbox and status',
    labelNames: ['outbox', 'status'] as const,
    registers: [registry],
    async collect() {
      const mail = new Map((await mailOutboxDepth(db)).map((r) => [r.status, r.count]))
      for (const status of OUTBOX_STATUSES) this.set({ outbox: 'mail', status }, mail.get(status) ?? 0)
      const webhooks = new Map((await webhookOutboxDepth(db)).map((r) => [r.status, r.count]))
      for (const status of WEBHOOK_STATUSES)
        this.set({ outbox: 'webhooks', status }, webhooks.get(status) ?? 0)
    },
  })
  new Gauge({
    name: 'roster_outbox_oldest_pending_seconds',
    help: 'Age of the oldest message still waiting to be delivered (0 when none waits)',
    labelNames: ['outbox'] as const,
    registers: [registry],
    async collect() {
      const age = (oldest: number | null) =>
        oldest === null ? 0 : Math.max(0, (deps.clock() - oldest) / 1000)
      this.set({ outbox: 'mail' }, age(await oldestPendingMail(db)))
      this.set({ outbox: 'webhooks' }, age(await oldestPendingWebhook(db)))
    },
  })
  new Gauge({
    name: 'roster_sessions_active',
    help: 'Browser sessions that have neither expired nor gone idle',
    registers: [registry],
    async collect() {
      this.set(await activeSessions(db, deps.clock(), deps.config.sessionIdleSeconds * 1000))
    },
  })

  return {
    registry,
    httpRequests: new Counter({
      name: 'roster_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'roster_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern and method',
      labelNames: ['route', 'method'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    transactionDuration: new Histogram({
      name: 'roster_db_transaction_duration_seconds',
      help: 'Duration of account transactions (one per use case that changes an account)',
      labelNames: ['outcome'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    transactionErrors: new Counter({
      name: 'roster_db_transaction_errors_total',
      help: 'Account transactions that failed for a reason other than a refused request',
      registers: [registry],
    }),
    signIns: new Counter({
      name: 'roster_sign_ins_total',
      help: 'Sign-in attempts by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'roster_rate_limited_total',
      help: 'Requests refused with 429, by route pattern',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    deliveryAttempts: new Counter({
      name: 'roster_delivery_attempts_total',
      help: 'Delivery attempts of outbox messages, by outbox and result',
      labelNames: ['outbox', 'result'] as const,
      registers: [registry],
    }),
  }
}
