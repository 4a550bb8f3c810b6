import { sql, type Kysely } from 'kysely'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export async function insertSession(
  db: Db,
  s: {
    tokenHash: string
    userId: number
    accountId: number
    now: number
    expiresAt: number
    method: 'password' | 'sso'
    ip?: string | null
    userAgent?: string | null
    mfaAt?: number | null
  },
): Promise<number> {
  const row = await db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      account_id: s.accountId,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      method: s.method,
      ip: s.ip?.slice(0, 64) ?? null,
      user_agent: s.userAgent?.slice(0, 400) ?? null,
      mfa_at: s.mfaAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * The live session with this hash and its user's *current* membership in the session's account:
 * a session whose user was removed from that account finds nothing. One indexed read.
 */
export function findLiveSession(db: Db, tokenHash: string, now: number, idleSince: number) {
  return liveSession.first(db, { tokenHash, now, idleSince })
}
const liveSession = prepared((db, p: { tokenHash: string; now: number; idleSince: number }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.account_id', '=', 'sessions.account_id')
        .onRef('memberships.user_id', '=', 'sessions.user_id'),
    )
    // A suspended member's credentials are refused as well as ended.
    .where('memberships.suspended_at', 'is', null)
    .leftJoin('custom_roles', (join) =>
      join
        .onRef('custom_roles.account_id', '=', 'memberships.account_id')
        .onRef('custom_roles.name', '=', 'memberships.role'),
    )
    .where('sessions.token_hash', '=', p.tokenHash)
    .where('sessions.expires_at', '>', p.now)
    .where('sessions.last_seen_at', '>', p.idleSince)
    .select([
      'sessions.id as id',
      'sessions.token_hash as tokenHash',
      'sessions.account_id as accountId',
      'sessions.user_id as userId',
      'sessions.last_seen_at as lastSeenAt',
      'users.email as email',
      'memberships.role as role',
      sql<string>`coalesce(custom_roles.base_role, memberships.role)`.as('baseRole'),
      'accounts.team_version as teamVersion',
      'accounts.require_mfa as requireMfa',
      'sessions.mfa_at as mfaAt',
    ]),
)

/**
 * What the two-factor policy weighs for a session acting in `accountId`: does the account require
 * a second factor, and has the session proved one.
 */
export function sessionMfaIn(db: Db, sessionId: number, accountId: number) {
  return db
    .selectFrom(['sessions', 'accounts'])
    .select(['accounts.require_mfa as requireMfa', 'sessions.mfa_at as mfaAt'])
    .where('sessions.id', '=', sessionId)
    .where('accounts.id', '=', accountId)
    .executeTakeFirst()
}

/** Records activity, at most once per window (the caller only calls it when stale). */
export async function touchSession(db: Db, id: number, now: number, staleBefore: number) {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where('last_seen_at', '<', staleBefore)
    .execute()
}

export async function switchSessionAccount(db: Db, id: number, accountId: number) {
  await db.updateTable('sessions').set({ account_id: accountId }).where('id', '=', id).execute()
}

export async function deleteSessionByHash(db: Db, tokenHash: string) {
  return db
    .deleteFrom('sessions')
    .where('token_hash', '=', tokenHash)
    .returning(['id', 'user_id', 'account_id'])
    .executeTakeFirst()
}

/** Ends every session of a user acting in one account (on removal from it). */
export async function deleteSessionsOfMember(db: Db, accountId: number, userId: number) {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).where('user_id', '=', userId).execute()
}

export async function deleteExpiredSessions(db: Db, now: number, idleSince: number) {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
    .execute()
}

/** The account of the user's most recently active session, to start a new sign-in there. */
export async function lastUsedAccount(db: Db, userId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('account_id')
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.account_id
}

/** How a session was opened: `password` or `sso`. */
export async function sessionMethod(db: Db, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('sessions').select('method').where('id', '=', id).executeTakeFirst()
  return row?.method
}

/** The user's live sessions, in every account, newest activity first (the Security page's list). */
export function listSessionsOfUser(db: Db, userId: number, now: number, idleSince: number) {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select([
      'sessions.id as id',
      'sessions.created_at as createdAt',
      'sessions.last_seen_at as lastSeenAt',
      'sessions.ip as ip',
      'sessions.user_agent as userAgent',
      'sessions.mfa_at as mfaAt',
      'accounts.name as accountName',
    ])
    .where('sessions.user_id', '=', userId)
    .where('sessions.expires_at', '>', now)
    .where('sessions.last_seen_at', '>', idleSince)
    .orderBy('sessions.last_seen_at', 'desc')
    .orderBy('sessions.id', 'desc')
    .execute()
}

/** Ends one of the user's sessions; false when it is not theirs or already gone. */
export async function deleteSessionOfUser(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('sessions')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Ends every session of the user (in all accounts) except `keep`, if given; how many ended. */
export async function deleteSessionsOfUser(db: Db, userId: number, keep?: number): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (keep !== undefined) query = query.where('id', '!=', keep)
  const result = await query.executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Records that this session proved a second factor (enrolment completed inside it). */
export async function markSessionMfa(db: Db, id: number, now: number) {
  await db.updateTable('sessions').set({ mfa_at: now }).where('id', '=', id).execute()
}
