import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { DatabaseHandle } from '../db/engine.ts'
import type { Metrics } from '../metrics/metrics.ts'

/** Milliseconds since the epoch; injectable so tests can move time. */
export type Clock = () => number

/** What every service is built from: created once in buildApp (or by the CLI) and passed down. */
export interface Deps {
  readonly config: Config
  readonly database: DatabaseHandle
  readonly clock: Clock
  readonly log: Logger
  /** Present when the app serves /metrics (METRICS_TOKEN or METRICS_PORT). */
  readonly metrics?: Metrics
}
