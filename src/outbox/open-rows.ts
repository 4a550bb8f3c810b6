/**
 * Outbox rows by status, as SQL for the partial indexes that hold them (migrations
 * 2026-11-29T1900 for webhooks, 2026-11-29T2000 for mail). The conditions are literals, the way
 * the indexes state them: a bound parameter would not let either engine see that an index holds
 * every row a query asks for.
 */
import { sql } from 'kysely'

type Status = 'pending' | 'sending' | 'failed'

/** Rows waiting or being sent (webhook deliveries keep them in one index). */
export const isOpen = (column: string) => sql<boolean>`${sql.ref(column)} in ('pending', 'sending')`
/** Rows of one status. */
export const hasStatus = (column: string, status: Status) =>
  sql<boolean>`${sql.ref(column)} = ${sql.lit(status)}`
export const isFailed = (column: string) => hasStatus(column, 'failed')
