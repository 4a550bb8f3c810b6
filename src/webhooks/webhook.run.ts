/**
 * Sending one run: an endpoint's claimed deliveries, in order, stopping at the first failure (the
 * rest are skipped untried, so order holds). Each attempt re-checks the endpoint's address (DNS
 * rebinding) and is signed with every live secret. Plain data in and out: this runs in the sender
 * thread (webhook.sender.ts), away from the event loop that serves requests.
 */
import { parseWebhookUrl, resolveTarget, type UrlPolicy } from './webhook.address.ts'
import { postJson, RunConnection, type HttpResult } from './webhook.http.ts'
import { signatureHeader } from './webhook.signature.ts'

const USER_AGENT = 'Roster-Webhooks/0.1'

/** The endpoint as read at the run's start. */
export interface RunEndpoint {
  readonly url: string
  readonly secret: string
  readonly previousSecret: string | null
  /** Until when (ms) the previous secret still signs. */
  readonly previousSecretUntil: number | null
}

export interface RunRequest {
  /** Absent: the endpoint was deleted. */
  readonly endpoint: RunEndpoint | undefined
  readonly deliveries: ReadonlyArray<{ readonly eventId: string; readonly payload: string }>
  readonly policy: UrlPolicy
  readonly timeoutMs: number
  /** No attempt starts after this (wall clock, ms): the claim must outlive the run. */
  readonly lastStart: number
  /** The service's clock minus the wall clock when the run was handed over (signature timestamps). */
  readonly clockOffsetMs: number
}

export type RunOutcome =
  | { readonly kind: 'sent'; readonly result: HttpResult }
  /** `final`: no later attempt would do better (410 Gone, or an attempt refused before sending). */
  | { readonly kind: 'failed'; readonly result: HttpResult; readonly final: boolean }
  | { readonly kind: 'skipped' }

/** An attempt's answer, and whether it is final whatever the attempts left. */
interface Tried {
  readonly result: HttpResult
  readonly final: boolean
}

/**
 * An attempt that never left: the endpoint is gone, or its scheme or address is one the policy
 * refuses. Final: every later attempt would be refused alike, so the delivery fails with that
 * reason at once (webhooks.md), not after WEBHOOK_MAX_ATTEMPTS tries spread over hours.
 */
const unsent = (error: string): HttpResult => ({ statusCode: null, response: null, error })
const refused = (error: string): Tried => ({ result: unsent(error), final: true })
/** The name did not resolve: it may next time, so the attempt counts and is retried. */
const unresolved = (error: string): Tried => ({ result: unsent(error), final: false })

export async function sendRun(run: RunRequest): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = []
  const connection = new RunConnection()
  // Every delivery of a run goes to one endpoint: its URL is parsed once, by the rules a new
  // endpoint's is (so an http: URL is refused where WEBHOOK_ALLOW_HTTP is off). Its address is
  // still checked at every attempt.
  const url = run.endpoint && parseWebhookUrl(run.endpoint.url, run.policy)
  let stopped = false
  try {
    for (const delivery of run.deliveries) {
      if (stopped || Date.now() > run.lastStart) {
        outcomes.push({ kind: 'skipped' })
        continue
      }
      const { result, final } = await attempt(run, url, delivery, connection)
      if (result.error === null) outcomes.push({ kind: 'sent', result })
      else {
        outcomes.push({ kind: 'failed', result, final: final || result.statusCode === 410 })
        // A later event waits while an earlier one is retried.
        stopped = true
      }
    }
  } finally {
    connection.close()
  }
  return outcomes
}

async function attempt(
  run: RunRequest,
  url: URL | undefined,
  delivery: RunRequest['deliveries'][number],
  connection: RunConnection,
): Promise<Tried> {
  const hook = run.endpoint
  if (!hook) return refused('endpoint deleted')
  if (!url) return refused('Webhook URL is not allowed.')
  const checked = await resolveTarget(url, run.policy)
  if (!checked.ok) return checked.refused ? refused(checked.reason) : unresolved(checked.reason)
  const now = Date.now() + run.clockOffsetMs
  const secrets = [hook.secret]
  if (hook.previousSecret && (hook.previousSecretUntil ?? 0) > now) secrets.push(hook.previousSecret)
  const timestamp = Math.floor(now / 1000)
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': delivery.eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(secrets, delivery.eventId, timestamp, delivery.payload),
  }
  return {
    result: await postJson(checked.target, headers, delivery.payload, run.timeoutMs, connection),
    final: false,
  }
}
