/** API keys: authenticating a request, and a member's own keys (spec §6). */
import { withoutControls } from '../shared/without-controls.ts'
import type { Kysely } from 'kysely'
import { audit } from '../audit/audit.service.ts'
import type { Database } from '../db/schema.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { parseBaseRole } from '../roles/role.ts'
import type { Actor, RequestContext } from '../shared/actor.ts'
import { epochSeconds } from '../shared/epoch-seconds.ts'
import type { Deps } from '../shared/deps.ts'
import { commonError } from '../shared/errors.ts'
import { sessionMethod } from '../sessions/session.repository.ts'
import { assertPasswordAllowed } from '../sso/sso-policy.ts'
import { apiKeyError } from './api-key.errors.ts'
import {
  findActiveKeyByHash,
  findApiKey,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from './api-key.repository.ts'
import { generateApiKey, hashApiKey, looksLikeApiKey, sameHash } from './api-key.secret.ts'
import { DEFAULT_TOKEN_UTILITY, type TokenUtility } from './token-utility.ts'
import { isRowId } from '../shared/row-id.ts'

/** last_used_at is refreshed at most this often, so authenticating costs no write per request. */
const LAST_USED_RESOLUTION_MS = 60_000

export interface ApiKeyView {
  id: number
  name: string
  keyPrefix: string
  /** What the key is for on Akto's token pages. */
  utility: TokenUtility
  email: string
  /** Epoch seconds, in the API (Akto's timestamp) and the CLI alike. */
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

export function keyName(input: unknown, fallback: string): string {
  if (input === undefined || input === null || input === '') return fallback
  if (typeof input !== 'string') throw apiKeyError('INVALID_KEY_NAME')
  const name = withoutControls(input)
  if (name.length === 0 || name.length > 100) throw apiKeyError('INVALID_KEY_NAME')
  return name
}

/** Creates a key inside the caller's transaction; the only moment the key is ever visible. */
export async function createKey(
  trx: Kysely<Database>,
  ctx: RequestContext | null,
  key: { accountId: number; userId: number; name: string; now: number; utility?: TokenUtility },
) {
  const secret = generateApiKey()
  const id = await insertApiKey(trx, { ...key, keyHash: secret.hash, prefix: secret.prefix })
  await audit(trx, ctx, {
    accountId: key.accountId,
    action: 'api_key.create',
    target: String(id),
    details: { name: key.name, userId: key.userId },
    now: key.now,
  })
  return { id, key: secret.key, prefix: secret.prefix }
}

/** Keys remembered per process (SQLite); when full, the memory simply starts again. */
const MAX_REMEMBERED_KEYS = 10_000

export function apiKeyService(deps: Deps) {
  const { db, snapshot } = deps.database
  // SQLite: a key's row as read under a change snapshot (engine.ts). While the database has not
  // changed since, the same read would give the same row, so it is not read again; any write,
  // here or in another process, moves the snapshot. PostgreSQL has no such cheap check: its
  // lookup is one indexed statement per request.
  const remembered = new Map<
    string,
    { snapshot: string; row: Awaited<ReturnType<typeof findActiveKeyByHash>> }
  >()

  async function liveKey(hash: string) {
    if (!snapshot) return findActiveKeyByHash(db, hash)
    const now = snapshot()
    const known = remembered.get(hash)
    if (known && known.snapshot === now) return known.row
    const row = await findActiveKeyByHash(db, hash)
    if (remembered.size >= MAX_REMEMBERED_KEYS) remembered.clear()
    remembered.set(hash, { snapshot: now, row })
    return row
  }

  function view(row: Awaited<ReturnType<typeof listApiKeys>>[number]): ApiKeyView {
    return {
      id: row.id,
      name: row.name,
      keyPrefix: row.prefix,
      utility: row.utility ?? DEFAULT_TOKEN_UTILITY,
      email: row.email,
      createdAt: epochSeconds(row.createdAt),
      lastUsedAt: epochSeconds(row.lastUsedAt),
      revokedAt: epochSeconds(row.revokedAt),
    }
  }

  return {
    /** The actor a key stands for, with its creator's current role; undefined when not live. */
    async authenticate(key: string): Promise<Actor | undefined> {
      if (!looksLikeApiKey(key)) return undefined
      const hash = hashApiKey(key)
      const row = await liveKey(hash)
      const baseRole = parseBaseRole(row?.baseRole)
      if (!row || !baseRole || !sameHash(row.keyHash, hash)) return undefined
      const now = deps.clock()
      const staleBefore = now - LAST_USED_RESOLUTION_MS
      if (row.lastUsedAt === null || row.lastUsedAt < staleBefore) {
        // Bookkeeping only: a failure here must not fail the request.
        touchApiKey(db, row.id, now, staleBefore).catch((error: unknown) =>
          deps.log.warn({ err: error }, 'could not record API key use'),
        )
      }
      return {
        userId: row.userId,
        accountId: row.accountId,
        email: row.email,
        roleName: row.role,
        baseRole,
        apiKeyId: row.id,
        sessionId: null,
        teamVersion: Number(row.teamVersion),
      }
    },

    async create(
      ctx: RequestContext,
      nameInput: unknown,
      utility: TokenUtility = DEFAULT_TOKEN_UTILITY,
    ): Promise<ApiKeyView & { key: string }> {
      const { actor } = ctx
      if (actor.apiKeyId !== null) throw commonError('API_KEY_NOT_ALLOWED')
      const name = keyName(nameInput, 'API key')
      const now = deps.clock()
      const created = await inAccountTransaction(deps, actor.accountId, async (trx) => {
        // A password session in an account that requires single sign-on mints no keys.
        if (actor.sessionId !== null && (await sessionMethod(trx, actor.sessionId)) !== 'sso') {
          await assertPasswordAllowed(trx, actor.accountId, actor.email)
        }
        return createKey(trx, ctx, { accountId: actor.accountId, userId: actor.userId, name, now, utility })
      })
      return {
        id: created.id,
        name,
        keyPrefix: created.prefix,
        utility,
        email: actor.email,
        createdAt: epochSeconds(now),
        lastUsedAt: null,
        revokedAt: null,
        key: created.key,
      }
    },

    /** The caller's own live keys in this account. */
    async listOwn(actor: Actor): Promise<ApiKeyView[]> {
      if (actor.apiKeyId !== null) throw commonError('API_KEY_NOT_ALLOWED')
      const rows = await listApiKeys(db, { accountId: actor.accountId, userId: actor.userId })
      return rows.filter((r) => r.revokedAt === null).map(view)
    },

    /** Revokes one of the caller's own keys (an API key may revoke itself). */
    async revokeOwn(ctx: RequestContext, idInput: unknown): Promise<void> {
      const { actor } = ctx
      const id =
        typeof idInput === 'number'
          ? idInput
          : typeof idInput === 'string' && /^\d{1,9}$/.test(idInput)
            ? Number(idInput)
            : NaN
      if (!isRowId(id)) throw apiKeyError('API_KEY_NOT_FOUND')
      await inAccountTransaction(deps, actor.accountId, async (trx) => {
        const key = await findApiKey(trx, id)
        if (
          !key ||
          key.account_id !== actor.accountId ||
          key.user_id !== actor.userId ||
          key.revoked_at !== null
        ) {
          throw apiKeyError('API_KEY_NOT_FOUND')
        }
        const now = deps.clock()
        await revokeApiKey(trx, id, now)
        await audit(trx, ctx, {
          accountId: actor.accountId,
          action: 'api_key.revoke',
          target: String(id),
          now,
        })
      })
    },

    /** Operator view (CLI): every key of an account, revoked ones included. */
    async listForAccount(accountId: number): Promise<ApiKeyView[]> {
      return (await listApiKeys(db, { accountId })).map(view)
    },
  }
}

export type ApiKeyService = ReturnType<typeof apiKeyService>
