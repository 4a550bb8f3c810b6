import { sql, type CompiledQuery, type Kysely } from 'kysely'
import { jsonArrayText } from '../db/engine.ts'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export type NewInvitation = {
  accountId: number
  email: string
  name: string | null
  role: string
  inviterId: number
  tokenId: string
  expiresAt: number
  now: number
}

/**
 * Creates the pending invitation for (account, email), or replaces the existing one: new code,
 * role and expiry. The unique (account_id, email) index makes this race-free.
 */
export function upsertInvitationStatement(db: Db, inv: NewInvitation): CompiledQuery {
  return upsertStatement.bind(db, inv)
}
const upsertStatement = prepared((db, inv: NewInvitation) =>
  db
    .insertInto('invitations')
    .values({
      account_id: inv.accountId,
      email: inv.email,
      name: inv.name,
      role: inv.role,
      inviter_id: inv.inviterId,
      token_id: inv.tokenId,
      expires_at: inv.expiresAt,
      created_at: inv.now,
    })
    .onConflict((oc) =>
      oc.columns(['account_id', 'email']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        role: eb.ref('excluded.role'),
        inviter_id: eb.ref('excluded.inviter_id'),
        token_id: eb.ref('excluded.token_id'),
        expires_at: eb.ref('excluded.expires_at'),
        created_at: eb.ref('excluded.created_at'),
      })),
    ),
)

/** Whether (account, email) has an invitation row, pending or expired. */
export async function hasInvitation(db: Db, accountId: number, email: string): Promise<boolean> {
  return (await invitationByEmail.first(db, { accountId, email })) !== undefined
}
const invitationByEmail = prepared((db, p: { accountId: number; email: string }) =>
  db
    .selectFrom('invitations')
    .select('id')
    .where('account_id', '=', p.accountId)
    .where('email', '=', p.email),
)

/** What an invitation email names: the inviter's name and the account's. */
export function invitationSenders(db: Db, accountId: number, inviterId: number) {
  return senders.first(db, { accountId, inviterId })
}
const senders = prepared((db, p: { accountId: number; inviterId: number }) =>
  db
    .selectFrom('accounts')
    .leftJoin('users', (join) => join.on('users.id', '=', p.inviterId))
    .select(['accounts.name as accountName', 'users.name as inviterName'])
    .where('accounts.id', '=', p.accountId),
)

/** The invitation row of (account, email), pending or expired. */
export function findInvitationOfEmail(db: Db, accountId: number, email: string) {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('email', '=', email)
    .executeTakeFirst()
}

export function findInvitationByTokenId(db: Db, tokenId: string) {
  return db.selectFrom('invitations').selectAll().where('token_id', '=', tokenId).executeTakeFirst()
}

/** Pending, unexpired invitations of emails that are not members yet, oldest first. */
const pendingInvitations = prepared((db, p: { accountId: number; now: number }) =>
  db
    .selectFrom('invitations')
    // The email of the current code, if any (its token_id is the code's id).
    .leftJoin('mail_outbox', 'mail_outbox.token_id', 'invitations.token_id')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.role',
      'invitations.inviter_id',
      'invitations.expires_at',
      'mail_outbox.status as emailStatus',
    ])
    .where('invitations.account_id', '=', p.accountId)
    .where('invitations.expires_at', '>', p.now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('memberships')
            .innerJoin('users', 'users.id', 'memberships.user_id')
            .select('memberships.user_id')
            .whereRef('memberships.account_id', '=', 'invitations.account_id')
            .whereRef('users.email', '=', 'invitations.email'),
        ),
      ),
    )
    .orderBy('invitations.created_at')
    .orderBy('invitations.id'),
)

export function listPendingInvitations(db: Db, accountId: number, now: number) {
  return pendingInvitations.all(db, { accountId, now })
}

export async function deleteInvitationByEmail(db: Db, accountId: number, email: string): Promise<boolean> {
  const result = await db
    .deleteFrom('invitations')
    .where('account_id', '=', accountId)
    .where('email', '=', email)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Consumes an invitation by its code id; false when it was already used, replaced or cancelled. */
export async function consumeInvitation(db: Db, tokenId: string): Promise<boolean> {
  const result = await db.deleteFrom('invitations').where('token_id', '=', tokenId).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function countInvitationsWithRole(db: Db, accountId: number, role: string): Promise<number> {
  const row = await db
    .selectFrom('invitations')
    .where('account_id', '=', accountId)
    .where('role', '=', role)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export type InviteContextQuery = {
  accountId: number
  actorId: number
  email: string
  /** The custom role asked for (upper-cased), or null for a built-in one. */
  customRole: string | null
  /** The three flood-limit buckets (invite-limits.ts). */
  s1: string
  s2: string
  s3: string
}

/**
 * Everything an invitation's checks and writes read, in one statement sent with the account's
 * lock (db/transaction.ts inAccountReadThenWrite): on PostgreSQL every round trip is time the lock
 * is held. Each part is an index lookup; lists come back as JSON text.
 */
const contextStatement = prepared((db, p: InviteContextQuery) =>
  db
    .selectFrom('accounts')
    .leftJoin('memberships as actor', (join) =>
      join.onRef('actor.account_id', '=', 'accounts.id').on('actor.user_id', '=', p.actorId),
    )
    .leftJoin('custom_roles as actor_role', (join) =>
      join.onRef('actor_role.account_id', '=', 'accounts.id').onRef('actor_role.name', '=', 'actor.role'),
    )
    .leftJoin('users as inviter', (join) => join.on('inviter.id', '=', p.actorId))
    .where('accounts.id', '=', p.accountId)
    .select((eb) => [
      'accounts.name as accountName',
      'inviter.name as inviterName',
      'actor.role as actorRole',
      sql<string | null>`coalesce(actor_role.base_role, actor.role)`.as('actorBaseRole'),
      'actor.suspended_at as actorSuspendedAt',
      eb
        .exists(
          eb
            .selectFrom('memberships')
            .select('memberships.user_id')
            .where('memberships.account_id', '=', p.accountId)
            .where('memberships.login', '=', p.email),
        )
        .as('inviteeIsMember'),
      jsonArrayText(
        db,
        db.selectFrom('account_domains').select('domain').where('account_id', '=', p.accountId),
        'domain',
      ).as('domains'),
      eb
        .selectFrom('custom_roles')
        .select('custom_roles.base_role')
        .where('custom_roles.account_id', '=', p.accountId)
        .where('custom_roles.name', '=', p.customRole)
        .as('customRoleBase'),
      ...([1, 2, 3] as const).map((i) =>
        eb
          .selectFrom('invite_buckets')
          .select('invite_buckets.tat')
          .where('invite_buckets.account_id', '=', p.accountId)
          .where('invite_buckets.scope', '=', p[`s${i}`])
          .as(`tat${i}`),
      ),
      eb
        .exists(
          eb
            .selectFrom('invitations')
            .select('invitations.id')
            .where('invitations.account_id', '=', p.accountId)
            .where('invitations.email', '=', p.email),
        )
        .as('hasInvitation'),
    ]),
)

/** The read, as a statement (sent with the lock). */
export const inviteContextQuery = (db: Db, q: InviteContextQuery) => contextStatement.bind(db, q)

type InviteContextRow = ReturnType<typeof inviteContextQuery> extends CompiledQuery<infer R> ? R : never

/** What the read found; undefined when the account is gone. */
export function inviteContext(row: InviteContextRow | undefined) {
  if (!row) return undefined
  const tat = (v: unknown) => (v === null || v === undefined ? undefined : Number(v))
  return {
    accountName: row.accountName,
    inviterName: row.inviterName,
    actor:
      row.actorRole === null
        ? undefined
        : { role: row.actorRole, baseRole: row.actorBaseRole, suspendedAt: row.actorSuspendedAt },
    // SQLite answers 0/1, PostgreSQL true/false.
    inviteeIsMember: Boolean(row.inviteeIsMember),
    domains: (JSON.parse(row.domains) as { domain: string }[]).map((d) => d.domain),
    customRoleBase: row.customRoleBase ?? undefined,
    buckets: [tat(row.tat1), tat(row.tat2), tat(row.tat3)] as const,
    hasInvitation: Boolean(row.hasInvitation),
  }
}
