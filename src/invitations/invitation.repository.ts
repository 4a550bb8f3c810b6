import type { Kysely } from 'kysely'
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
export async function upsertInvitation(db: Db, inv: NewInvitation) {
  await upsertStatement.all(db, inv)
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
