/** Shared arrangement for webhook tests: an app whose worker runs on real time with small delays. */
import { startTestApp, type TestApp, type TestClock } from '../helpers/app.ts'
import type { TestDatabase } from '../helpers/database.ts'

/** Deliveries use wall-clock time (signatures carry it, retries wait on it). */
export const realClock: TestClock = Object.assign(() => Date.now(), { advance: () => {} })

export const FAST_ENV = {
  WEBHOOK_ALLOW_HTTP: '1',
  WEBHOOK_ALLOW_PRIVATE: '1',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_TIMEOUT_MS: '1500',
  RATE_LIMIT_MAX: '0',
  LOGIN_RATE_LIMIT: '1000',
}

export function startWebhookApp(env: Record<string, string> = {}, testDb?: TestDatabase): Promise<TestApp> {
  return startTestApp({
    env: { ...FAST_ENV, ...env },
    clock: realClock,
    webhookWorker: true,
    ...(testDb ? { testDb } : {}),
  })
}
