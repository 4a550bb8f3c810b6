import { sql, type CompiledQuery, type Kysely } from 'kysely'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'
import type { AuditEventTable } from './audit.table.ts'

type Db = Kysely<Database>

type NewAuditEvent = Omit<AuditEventTable, 'id'>

// Every write use case audits: the insert is prepared once (its shape never varies).
const insertEvent = prepared((db, p: NewAuditEvent) =>
  db.insertInto('audit_events').values({
    account_id: p.account_id,
    actor_user_id: p.actor_user_id,
    actor_api_key_id: p.actor_api_key_id,
    actor_system: p.actor_system,
    action: p.action,
    target: p.target,
    details: p.details,
    ip: p.ip,
    user_agent: p.user_agent,
    created_at: p.created_at,
    subject_user_id: p.subject_user_id,
  }),
)

export async function insertAuditEvent(db: Db, event: NewAuditEvent) {
  await insertEvent.all(db, event)
}

export function insertAuditEventStatement(db: Db, event: NewAuditEvent): CompiledQuery {
  return insertEvent.bind(db, event)
}

/** Newest first, keyset-paginated by id; scoped to one account. */
export function listAuditEvents(
  db: Db,
  accountId: number,
  opts: { limit: number; before?: number | undefined },
) {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    .selectAll('audit_events')
    .select('users.email as actor_email')
    .where('audit_events.account_id', '=', accountId)
  if (opts.before !== undefined) query = query.where('audit_events.id', '<', opts.before)
  return query.orderBy('audit_events.id', 'desc').limit(opts.limit).execute()
}

/** Many events in one statement (bulk import: one event per member added). */
export async function insertAuditEvents(db: Db, events: readonly NewAuditEvent[]) {
  if (events.length === 0) return
  await db
    .insertInto('audit_events')
    .values([...events])
    .execute()
}
/** One account's events with created_at in [from, to), oldest or newest first, offset-paged (Akto's shape). */
export function listAuditEventsInRange(
  db: Db,
  accountId: number,
  range: { from: number; to: number; ascending: boolean; offset: number; limit: number },
) {
  return db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    .select([
      'audit_events.action',
      'audit_events.target',
      'audit_events.details',
      'audit_events.ip',
      'audit_events.user_agent',
      'audit_events.created_at',
      'users.email as actor_email',
    ])
    .where('audit_events.account_id', '=', accountId)
    .where('audit_events.created_at', '>=', range.from)
    .where('audit_events.created_at', '<', range.to)
    .orderBy('audit_events.created_at', range.ascending ? 'asc' : 'desc')
    .orderBy('audit_events.id', range.ascending ? 'asc' : 'desc')
    .offset(range.offset)
    .limit(range.limit)
    .execute()
}

export async function countAuditEventsInRange(
  db: Db,
  accountId: number,
  range: { from: number; to: number },
): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.to)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * The actions that mean "signed in", in the words of the partial index over them (migration
 * 2026-11-29T2300): a query uses a partial index only when it repeats the index's condition as
 * written. A new sign-in action needs a new index.
 */
const SIGNED_IN = sql<boolean>`action in ('session.login', 'invitation.accept', 'sso.login')`

export function lastSignInQuery(db: Db, userId: number) {
  return db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('actor_user_id', '=', userId)
    .where(SIGNED_IN)
}

/** When a user last signed in (any account, any way in), or undefined. */
export async function lastSignInOf(db: Db, userId: number): Promise<number | undefined> {
  const row = await lastSignInQuery(db, userId).executeTakeFirst()
  return row?.at == null ? undefined : Number(row.at)
}
