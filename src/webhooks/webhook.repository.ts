import { sql, type Kysely } from 'kysely'
import { idList } from '../db/id-list.ts'
import { prepared } from '../db/prepared.ts'
import { isFailed, isOpen } from '../outbox/open-rows.ts'
import type { Database } from '../db/schema.ts'
import type { DeliveryStatus } from './webhook.table.ts'

type Db = Kysely<Database>

export async function insertWebhook(
  db: Db,
  w: {
    accountId: number
    url: string
    description: string | null
    events: string | null
    secret: string
    now: number
  },
) {
  const row = await db
    .insertInto('webhooks')
    .values({
      account_id: w.accountId,
      url: w.url,
      description: w.description,
      events: w.events,
      secret: w.secret,
      created_at: w.now,
      enabled_since: w.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function listWebhooks(db: Db, accountId: number) {
  return db.selectFrom('webhooks').selectAll().where('account_id', '=', accountId).orderBy('id').execute()
}

export function findWebhook(db: Db, accountId: number, id: number) {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst()
}

// Read once per run by the worker: prepared once.
const runEndpointStatement = prepared((db, p: { id: number }) =>
  db
    .selectFrom('webhooks')
    .select(['url', 'secret', 'previous_secret', 'previous_secret_until'])
    .where('id', '=', p.id),
)

/** What sending a run needs of its endpoint (undefined: deleted meanwhile). */
export function runEndpointOf(db: Db, id: number) {
  return runEndpointStatement.first(db, { id })
}

export async function updateWebhook(
  db: Db,
  accountId: number,
  id: number,
  set: {
    url?: string
    events?: string | null
    description?: string | null
    disabled_at?: number | null
    disabled_reason?: string | null
    enabled_since?: number
    secret?: string
    previous_secret?: string | null
    previous_secret_until?: number | null
  },
) {
  const r = await db
    .updateTable('webhooks')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function deleteWebhook(db: Db, accountId: number, id: number) {
  const r = await db
    .deleteFrom('webhooks')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** 410 Gone: the receiver asked to stop. */
export async function disableWebhook(db: Db, id: number, now: number) {
  await db
    .updateTable('webhooks')
    .set({ disabled_at: now, disabled_reason: 'The receiver answered 410 Gone.' })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .execute()
}

export type NewDelivery = {
  accountId: number
  webhookId: number
  eventId: string
  type: string
  payload: string
  now: number
}

/** A delivery written once its first attempt is over (the fan-out's direct sending), with its outcome. */
export interface DeliveryOutcome {
  readonly delivery: NewDelivery
  readonly status: DeliveryStatus
  readonly attempts: number
  readonly nextAttemptAt: number
  readonly statusCode: number | null
  readonly error: string | null
  readonly response: string | null
  readonly deliveredAt: number | null
}

const deliveryRow = (r: NewDelivery) => ({
  account_id: r.accountId,
  webhook_id: r.webhookId,
  event_id: r.eventId,
  type: r.type,
  payload: r.payload,
  status: 'pending' as const,
  next_attempt_at: r.now,
  created_at: r.now,
})

/** Pending deliveries, in the caller's transaction (the fan-out's batches, a test event). */
export async function insertDeliveries(db: Db, rows: readonly NewDelivery[]) {
  await db.insertInto('webhook_deliveries').values(rows.map(deliveryRow)).execute()
}

/** Values a delivery written with its outcome takes, in this order; the claim's are left null. */
const OUTCOME_WIDTH = 13
const outcomeRow = (p: Record<string, unknown>, at: number) => ({
  account_id: p[at] as number,
  webhook_id: p[at + 1] as number,
  event_id: p[at + 2] as string,
  type: p[at + 3] as string,
  payload: p[at + 4] as string,
  status: p[at + 5] as DeliveryStatus,
  attempts: p[at + 6] as number,
  next_attempt_at: p[at + 7] as number,
  last_status_code: p[at + 8] as number | null,
  last_error: p[at + 9] as string | null,
  last_response: p[at + 10] as string | null,
  created_at: p[at + 11] as number,
  delivered_at: p[at + 12] as number | null,
})

/** Rows per statement: powers of two, so that a handful of prepared statements serve every count. */
const CHUNKS = [256, 64, 16, 4, 1]
/**
 * One insert per chunk size, prepared once (db/prepared.ts): built by Kysely for every batch, it
 * cost more than the insert itself (bench:profile). Its parameters go by position.
 */
const outcomeInserts = new Map(
  CHUNKS.map((size) => [
    size,
    prepared((db, p: Record<string, unknown>) =>
      db
        .insertInto('webhook_deliveries')
        .values(Array.from({ length: size }, (_, r) => outcomeRow(p, r * OUTCOME_WIDTH))),
    ),
  ]),
)

/**
 * Deliveries whose first attempt is over, with its outcome: the direct sending's one write per
 * delivery, on the event loop that serves requests.
 */
export async function insertOutcomes(db: Db, rows: readonly DeliveryOutcome[]) {
  let at = 0
  for (const size of CHUNKS) {
    while (rows.length - at >= size) {
      const values: unknown[] = []
      for (const r of rows.slice(at, at + size)) {
        const d = r.delivery
        values.push(
          d.accountId,
          d.webhookId,
          d.eventId,
          d.type,
          d.payload,
          r.status,
          r.attempts,
          r.nextAttemptAt,
          r.statusCode,
          r.error?.slice(0, 1000) ?? null,
          r.response?.slice(0, 4096) ?? null,
          d.now,
          r.deliveredAt,
        )
      }
      // An array is looked up by position as the statement was built (p[0], p[1] …).
      await db.executeQuery(outcomeInserts.get(size)!.bind(db, values as unknown as Record<string, unknown>))
      at += size
    }
  }
}

/**
 * A run whose first attempts are still under way, written as the worker's claim leaves a run: its
 * head `sending` under the claim, the rest pending behind it. The worker settles it when the
 * attempts end (outbox/worker.ts, adopt). Its ids, by event id.
 */
export async function insertClaimedRun(
  db: Db,
  rows: readonly NewDelivery[],
  claim: { token: string; until: number },
) {
  const written = await db
    .insertInto('webhook_deliveries')
    .values(
      // Every row names every column: SQLite has no DEFAULT in a list of rows.
      rows.map((r, i) => ({
        ...deliveryRow(r),
        status: i === 0 ? ('sending' as const) : ('pending' as const),
        attempts: i === 0 ? 1 : 0,
        claim_token: i === 0 ? claim.token : null,
        claimed_until: i === 0 ? claim.until : null,
      })),
    )
    .returning(['id', 'event_id'])
    .execute()
  return new Map(written.map((w) => [w.event_id, Number(w.id)]))
}

/** Those of the given endpoints whose queue holds open deliveries (pending or being sent). */
export async function endpointsWithOpenQueues(db: Db, webhookIds: readonly number[]): Promise<Set<number>> {
  if (webhookIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select('webhook_id')
    .distinct()
    .where('webhook_id', 'in', idList(webhookIds))
    .where(isOpen('status'))
    .execute()
  return new Set(rows.map((r) => Number(r.webhook_id)))
}

/**
 * The head of each enabled endpoint's queue, when it is due: deliveries go out in commit order,
 * and a later one waits while an earlier one is retried. A claim left by a worker that died is due.
 * The queues are walked through the open-rows index, one probe per endpoint with open rows
 * (a recursive "loose index scan"), so a pass costs the same behind a backlog of 100,000
 * deliveries waiting on a failing head as behind none. Testing each open row for being a head,
 * as before, took 25 ms a pass on SQLite (the event loop's time) and 620 ms on PostgreSQL at
 * that size, 0.03 and 0.1 ms this way (docs/benchmarks.md). Built and compiled once: building
 * it with Kysely on every pass cost the event loop more than running it.
 */
const dueHeadsStatement = prepared((db, p: { now: number; limit: number }) =>
  db
    .withRecursive('queues(webhook_id)', (db) =>
      db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.min<number | null>('webhook_id').as('webhook_id'))
        .where(isOpen('status'))
        .unionAll((db) =>
          db
            .selectFrom('queues as q')
            .select((eb) =>
              eb
                .selectFrom('webhook_deliveries as e')
                .select((eb) => eb.fn.min('e.webhook_id').as('next'))
                .where(isOpen('e.status'))
                .whereRef('e.webhook_id', '>', 'q.webhook_id')
                .as('webhook_id'),
            )
            .where('q.webhook_id', 'is not', null),
        ),
    )
    .selectFrom('queues as q')
    .innerJoin('webhooks as w', 'w.id', 'q.webhook_id')
    .innerJoin('webhook_deliveries as d', (join) =>
      join.on((eb) =>
        eb(
          'd.id',
          '=',
          eb
            .selectFrom('webhook_deliveries as h')
            .select((eb) => eb.fn.min('h.id').as('head'))
            .whereRef('h.webhook_id', '=', 'q.webhook_id')
            .where(isOpen('h.status')),
        ),
      ),
    )
    .select(['d.id', 'd.webhook_id'])
    .where('w.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('d.status', '=', 'pending'), eb('d.next_attempt_at', '<=', p.now)]),
        eb.and([eb('d.status', '=', 'sending'), eb('d.claimed_until', '<=', p.now)]),
      ]),
    )
    .orderBy('d.webhook_id')
    .limit(p.limit),
)

export function findDueHeads(db: Db, now: number, limit: number) {
  return dueHeadsStatement.all(db, { now, limit })
}

/** What sending and settling a run need of each delivery. */
const RUN_COLUMNS = [
  'id',
  'webhook_id',
  'event_id',
  'payload',
  'attempts',
  'status',
  'next_attempt_at',
] as const

/** The open deliveries of an endpoint's queue behind one, in order: prepared once. */
const runStatement = prepared((db, p: { webhookId: number; after: number; limit: number }) =>
  db
    .selectFrom('webhook_deliveries')
    .select(RUN_COLUMNS)
    .where('webhook_id', '=', p.webhookId)
    .where(isOpen('status'))
    .where('id', '>', p.after)
    .orderBy('id')
    .limit(p.limit),
)

/**
 * Claims an endpoint's queue: its head, by a guarded update (of two workers only one gets it),
 * and the run of due deliveries right behind it, read but not written. Holding the head is
 * holding the queue: only a queue's head is ever due (findDueHeads), and the head stays open
 * until its holder settles the run. So a run costs one row's claim, not one per delivery.
 * Each delivery comes back with `attempts` counting the attempt about to be made, and `held`
 * saying whether this claim wrote it (the head) or only read it (the rest of the run).
 */
export async function claimQueue(
  db: Db,
  headIds: readonly number[],
  now: number,
  claim: { token: string; until: number },
  follow: number,
) {
  const heads = (await claimDue(db, headIds, now, claim)).map((row) => ({ ...row, held: true }))
  const head = heads[0]
  if (!head || follow <= 0) return heads
  // Up to the first delivery that is not pending and due: a run is contiguous, and one left
  // `sending` by a worker that died is claimed as a head of its own once the queue reaches it.
  const queue = await runStatement.all(db, { webhookId: head.webhook_id, after: head.id, limit: follow })
  const run: ((typeof queue)[number] & { held: boolean })[] = [...heads]
  for (const row of queue) {
    if (row.status !== 'pending' || row.next_attempt_at > now) break
    run.push({ ...row, attempts: row.attempts + 1, held: false })
  }
  return run
}

/** Claims those of the given deliveries that are due: pending and scheduled, or left by a dead worker. */
function claimDue(db: Db, ids: readonly number[], now: number, claim: { token: string; until: number }) {
  return db
    .updateTable('webhook_deliveries')
    .set({
      status: 'sending' as const,
      claim_token: claim.token,
      claimed_until: claim.until,
      attempts: sql<number>`attempts + 1`,
    })
    .where('id', 'in', idList(ids))
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<=', now)]),
      ]),
    )
    .returning(RUN_COLUMNS)
    .execute()
}

/**
 * Whose settlement a delivery takes: the head's holder, under its claim token; or, for the rest
 * of a run, a worker that has just settled the run's head under its claim (still pending rows:
 * their attempt is counted here, as it was not at the claim).
 */
export type Settler = { readonly held: true; readonly token: string } | { readonly held: false }

function attemptsAfter(settler: Settler, release: boolean) {
  if (settler.held) return release ? { attempts: sql<number>`attempts - 1` } : {}
  return release ? {} : { attempts: sql<number>`attempts + 1` }
}

/** Settles one delivery; false when it was not the settler's to settle (the claim was lost). */
export async function settleDelivery(
  db: Db,
  id: number,
  settler: Settler,
  s: {
    status: DeliveryStatus
    nextAttemptAt?: number
    statusCode: number | null
    error: string | null
    response: string | null
    deliveredAt: number | null
    release?: boolean
  },
) {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({
      status: s.status,
      claim_token: null,
      claimed_until: null,
      ...attemptsAfter(settler, s.release ?? false),
      ...(s.release
        ? {}
        : {
            last_status_code: s.statusCode,
            last_error: s.error?.slice(0, 1000) ?? null,
            last_response: s.response?.slice(0, 4096) ?? null,
            delivered_at: s.deliveredAt,
          }),
      ...(s.nextAttemptAt !== undefined ? { next_attempt_at: s.nextAttemptAt } : {}),
    })
    .where('id', '=', id)
    .where((eb) =>
      settler.held
        ? eb('claim_token', '=', settler.token)
        : eb.and([eb('status', '=', 'pending'), eb('claim_token', 'is', null)]),
    )
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/**
 * Settles, as delivered, the rest of a run that got the same answer, in one statement (a
 * receiver mostly answers every event alike), once its head was settled by the same worker.
 */
export async function settleDelivered(
  db: Db,
  ids: readonly number[],
  s: { statusCode: number | null; response: string | null; deliveredAt: number },
) {
  if (ids.length === 0) return
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'delivered',
      attempts: sql<number>`attempts + 1`,
      last_status_code: s.statusCode,
      last_error: null,
      last_response: s.response?.slice(0, 4096) ?? null,
      delivered_at: s.deliveredAt,
    })
    .where('id', 'in', idList(ids))
    .where('status', '=', 'pending')
    .where('claim_token', 'is', null)
    .execute()
}

export function listDeliveries(
  db: Db,
  accountId: number,
  f: {
    webhookId?: number | undefined
    status?: DeliveryStatus | undefined
    before?: number | undefined
    limit: number
  },
) {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('account_id', '=', accountId)
  if (f.webhookId !== undefined) q = q.where('webhook_id', '=', f.webhookId)
  // Failed rows through their own index, stated as it states them.
  if (f.status === 'failed') q = q.where(isFailed('status'))
  else if (f.status !== undefined) q = q.where('status', '=', f.status)
  if (f.before !== undefined) q = q.where('id', '<', f.before)
  return q.orderBy('id', 'desc').limit(f.limit).execute()
}

/** A finished delivery made due again, with fresh attempts; its event id stays. */
export async function resetDelivery(db: Db, accountId: number, id: number, now: number) {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, claim_token: null, claimed_until: null })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('status', 'in', ['delivered', 'failed'])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export function findDelivery(db: Db, accountId: number, id: number) {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst()
}
