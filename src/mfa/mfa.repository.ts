import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export function findTotp(db: Db, userId: number) {
  return db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst()
}

export async function hasConfirmedTotp(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('totp_factors')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst()
  return row !== undefined
}

/** A new, unconfirmed secret; replaces an earlier unconfirmed one, never a confirmed one. */
export async function savePendingTotp(db: Db, userId: number, secret: string, now: number): Promise<boolean> {
  await db
    .deleteFrom('totp_factors')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .execute()
  const result = await db
    .insertInto('totp_factors')
    .values({ user_id: userId, secret, confirmed_at: null, last_used_step: null, created_at: now })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
}

/**
 * Accepts time step `step` for the user: only when it is later than the last one accepted, so a
 * code (or an earlier one) is never accepted twice, even by two requests racing.
 */
export async function useTotpStep(
  db: Db,
  userId: number,
  step: number,
  confirmAt?: number,
): Promise<boolean> {
  const result = await db
    .updateTable('totp_factors')
    .set(
      confirmAt === undefined ? { last_used_step: step } : { last_used_step: step, confirmed_at: confirmAt },
    )
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .where('confirmed_at', confirmAt === undefined ? 'is not' : 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function deleteTotp(db: Db, userId: number) {
  await db.deleteFrom('totp_factors').where('user_id', '=', userId).execute()
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
}

export async function replaceRecoveryCodes(db: Db, userId: number, hashes: readonly string[]) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
    .execute()
}

/** Spends a recovery code: true once per code, even under a race. */
export async function useRecoveryCode(
  db: Db,
  userId: number,
  codeHash: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function countRecoveryCodesLeft(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertMfaChallenge(
  db: Db,
  c: { tokenHash: string; userId: number; expiresAt: number; now: number },
) {
  await db.deleteFrom('mfa_challenges').where('expires_at', '<=', c.now).execute()
  await db
    .insertInto('mfa_challenges')
    .values({ token_hash: c.tokenHash, user_id: c.userId, expires_at: c.expiresAt })
    .execute()
}

/**
 * Counts one try against a live challenge and returns its user, or undefined when the challenge
 * is unknown, expired or out of tries. Counting first (a guarded update) bounds the tries even
 * for requests racing each other.
 */
export async function tryMfaChallenge(db: Db, tokenHash: string, now: number, maxAttempts: number) {
  return db
    .updateTable('mfa_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .returning(['id', 'user_id'])
    .executeTakeFirst()
}

export async function deleteMfaChallenge(db: Db, id: number) {
  await db.deleteFrom('mfa_challenges').where('id', '=', id).execute()
}

/** Ends the user's sign-ins still waiting for a second factor (their password has changed). */
export async function deleteMfaChallengesOfUser(db: Db, userId: number) {
  await db.deleteFrom('mfa_challenges').where('user_id', '=', userId).execute()
}

export async function findRequireMfa(db: Db, accountId: number): Promise<boolean> {
  const row = await db
    .selectFrom('accounts')
    .select('require_mfa')
    .where('id', '=', accountId)
    .executeTakeFirst()
  return row?.require_mfa === 1
}

/**
 * Whether any account the user may act in requires a second factor. A suspended membership
 * does not count: it gives no access, and the user enrols again if it is restored.
 */
export async function anyAccountRequiresMfa(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select('memberships.account_id')
    .where('memberships.user_id', '=', userId)
    .where('memberships.suspended_at', 'is', null)
    .where('accounts.require_mfa', '=', 1)
    .executeTakeFirst()
  return row !== undefined
}

export async function setRequireMfa(db: Db, accountId: number, required: boolean) {
  await db
    .updateTable('accounts')
    .set({ require_mfa: required ? 1 : 0 })
    .where('id', '=', accountId)
    .execute()
}
