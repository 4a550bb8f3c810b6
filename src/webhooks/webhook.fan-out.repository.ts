/**
 * The fan-out's SQL (webhook.fan-out.ts): its one shared position in the audit log and the lease
 * on it, the committed audit events it reads back, and the endpoints it sends them to.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import { idList } from '../db/id-list.ts'
import type { Database } from '../db/schema.ts'
import type { EngineKind } from '../db/engine.ts'
import type { AuditedChange } from './webhook.events.ts'

type Db = Kysely<Database>

/** Whether any endpoint exists (else the fan-out has nothing to do). */
export async function anyWebhook(db: Db): Promise<boolean> {
  return (await db.selectFrom('webhooks').select('id').limit(1).executeTakeFirst()) !== undefined
}

/**
 * The endpoints, of all accounts, that may be sent events made at `since` or later: those enabled,
 * and those disabled after it (what they were sent waits in their queue until they are enabled).
 */
export function fanOutEndpoints(db: Db, since: number) {
  return db
    .selectFrom('webhooks')
    .select([
      'id',
      'account_id',
      'events',
      'enabled_since',
      'disabled_at',
      'url',
      'secret',
      'previous_secret',
      'previous_secret_until',
    ])
    .where((eb) => eb.or([eb('disabled_at', 'is', null), eb('disabled_at', '>', since)]))
    .orderBy('id')
    .execute()
}

/** A place in the audit log, in the order the fan-out reads it (tx: PostgreSQL only). */
export interface FanOutPosition {
  readonly tx: string | null
  readonly auditId: number
}

const START: FanOutPosition = { tx: null, auditId: 0 }

/** The position, who holds it while sending a batch, and the salt of the ids it derives. */
export interface FanOutState extends FanOutPosition {
  readonly lease: { readonly token: string; readonly until: number } | null
  /** Null until the position is first made (saltFanOut). */
  readonly salt: string | null
}

export async function fanOutState(db: Db): Promise<FanOutState> {
  const row = await db
    .selectFrom('webhook_fan_out')
    .select(['tx', 'audit_id', 'lease_token', 'lease_until', 'id_salt'])
    .where('id', '=', 1)
    .executeTakeFirst()
  return {
    ...(row ? { tx: row.tx, auditId: Number(row.audit_id) } : START),
    lease: row?.lease_token != null ? { token: row.lease_token, until: Number(row.lease_until ?? 0) } : null,
    salt: row?.id_salt ?? null,
  }
}

/**
 * Makes the position (at the start of the log) if there is none yet, and gives it a salt if it
 * has none; of two workers doing so at once, the first one's stays.
 */
export async function saltFanOut(db: Db, salt: string) {
  await db
    .insertInto('webhook_fan_out')
    .values({ id: 1, tx: null, audit_id: 0, id_salt: salt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  await db
    .updateTable('webhook_fan_out')
    .set({ id_salt: salt })
    .where('id', '=', 1)
    .where('id_salt', 'is', null)
    .execute()
}

const atPosition = (from: FanOutPosition) => (eb: ExpressionBuilder<Database, 'webhook_fan_out'>) =>
  eb.and([
    eb('id', '=', 1),
    eb('audit_id', '=', from.auditId),
    from.tx === null ? eb('tx', 'is', null) : eb('tx', '=', from.tx),
  ])

/**
 * Takes the position, still at `from`, for the time a batch is sent: if no one holds it, or the
 * one who did let their lease lapse (they died). Of two workers, one gets it.
 */
export async function leaseFanOut(
  db: Db,
  from: FanOutPosition,
  lease: { token: string; until: number },
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('webhook_fan_out')
    .set({ lease_token: lease.token, lease_until: lease.until })
    .where(atPosition(from))
    .where((eb) => eb.or([eb('lease_token', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Gives the position up, where the lease is still `token`'s (its batch could not be written). */
export async function releaseFanOut(db: Db, token: string) {
  await db
    .updateTable('webhook_fan_out')
    .set({ lease_token: null, lease_until: null })
    .where('id', '=', 1)
    .where('lease_token', '=', token)
    .execute()
}

/** Those of the given endpoints that still exist. */
export async function existingWebhooks(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const rows = await db.selectFrom('webhooks').select('id').where('id', 'in', idList(ids)).execute()
  return new Set(rows.map((r) => Number(r.id)))
}

/**
 * Moves the fan-out from `from` to `to`, if it is still at `from`: of two workers that read the
 * same events, only one moves it (and writes their deliveries in the same transaction). Under a
 * lease, only its holder moves it (`token`), and the move ends the lease; without one, nobody
 * else may hold a live one (`now`).
 */
export async function moveFanOut(
  db: Db,
  from: FanOutPosition,
  to: FanOutPosition,
  holder: { token: string } | { now: number },
): Promise<boolean> {
  const r = await db
    .updateTable('webhook_fan_out')
    .set({ tx: to.tx, audit_id: to.auditId, lease_token: null, lease_until: null })
    .where(atPosition(from))
    .where((eb) =>
      'token' in holder
        ? eb('lease_token', '=', holder.token)
        : eb.or([eb('lease_token', 'is', null), eb('lease_until', '<=', holder.now)]),
    )
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/**
 * PostgreSQL: the events after `from` in (tx, id) order. A position without tx (the start, or one
 * copied from SQLite by `roster db copy`) counts by id alone.
 */
const afterOnPostgres = (from: FanOutPosition) =>
  from.tx === null ? sql`e.id > ${from.auditId}` : sql`(e.tx, e.id) > (${from.tx}::xid8, ${from.auditId})`

/** The columns of an audit event the fan-out reads back (webhook.events.ts, AuditedChange). */
const READ_BACK = sql`e.id, e.account_id, e.action, e.target, e.details, e.subject_user_id, e.actor_user_id,
  e.actor_api_key_id, e.actor_system, e.created_at, u.email as actor_email`

export type ReadBackEvent = AuditedChange & {
  id: number
  tx: string | null
  account_id: number
  created_at: number
}

/**
 * The audit events after `from`, oldest first, that are certain to be final: on SQLite every
 * committed row (writes are serial, so ids follow commit order); on PostgreSQL the rows of
 * transactions older than the oldest still running (pg_snapshot_xmin), in (tx, id) order: a row
 * of a transaction still running, and every row after it in that order, waits for the next look.
 */
export async function auditEventsAfter(
  db: Db,
  engine: EngineKind,
  from: FanOutPosition,
  limit: number,
): Promise<ReadBackEvent[]> {
  const rows =
    engine === 'sqlite'
      ? await sql<ReadBackEvent>`select ${READ_BACK}, null as tx
          from audit_events e left join users u on u.id = e.actor_user_id
          where e.id > ${from.auditId} order by e.id limit ${limit}`.execute(db)
      : await sql<ReadBackEvent>`select ${READ_BACK}, e.tx::text as tx
          from audit_events e left join users u on u.id = e.actor_user_id
          where ${afterOnPostgres(from)}
            and e.tx < pg_snapshot_xmin(pg_current_snapshot())
          order by e.tx, e.id limit ${limit}`.execute(db)
  return rows.rows.map((r) => ({
    ...r,
    id: Number(r.id),
    account_id: Number(r.account_id),
    created_at: Number(r.created_at),
    subject_user_id: numberOrNull(r.subject_user_id),
    actor_user_id: numberOrNull(r.actor_user_id),
    actor_api_key_id: numberOrNull(r.actor_api_key_id),
  }))
}

/** PostgreSQL answers bigint columns as text. */
const numberOrNull = (v: number | string | null) => (v === null ? null : Number(v))

/** The last event the fan-out may pass (auditEventsAfter's bound): where an idle fan-out jumps to. */
export async function lastFinalAuditEvent(db: Db, engine: EngineKind): Promise<FanOutPosition | undefined> {
  const { rows } =
    engine === 'sqlite'
      ? await sql<{ tx: null; id: number }>`select null as tx, max(id) as id from audit_events`.execute(db)
      : await sql<{ tx: string; id: number }>`select e.tx::text as tx, e.id from audit_events e
          where e.tx < pg_snapshot_xmin(pg_current_snapshot()) order by e.tx desc, e.id desc limit 1`.execute(
          db,
        )
  const row = rows[0]
  return row && row.id !== null ? { tx: row.tx, auditId: Number(row.id) } : undefined
}

/**
 * PostgreSQL: whether committed events after `from` wait behind a transaction still running
 * (auditEventsAfter does not pass them yet). Always false on SQLite.
 */
export async function auditEventsHeldBack(
  db: Db,
  engine: EngineKind,
  from: FanOutPosition,
): Promise<boolean> {
  if (engine === 'sqlite') return false
  const { rows } = await sql<{ held: boolean }>`select exists (select 1 from audit_events e
      where ${afterOnPostgres(from)}
        and e.tx >= pg_snapshot_xmin(pg_current_snapshot())) as held`.execute(db)
  return rows[0]?.held === true
}
