/** Per-account SCIM tokens (ADMINs through the API and web page, operators through the CLI). */
import { audit } from '../audit/audit.service.ts'
import { assertActorMay } from '../auth/actor-check.ts'
import { findAccount } from '../accounts/account.repository.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { resolveRole } from '../roles/role-resolver.ts'
import type { RequestContext, SystemContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { withoutControls } from '../shared/without-controls.ts'
import { scimTokenError } from './scim-token.errors.ts'
import {
  findLiveScimToken,
  findScimToken,
  insertScimToken,
  listScimTokens,
  revokeScimToken,
  setScimDefaultRole,
  touchScimToken,
} from './scim-token.repository.ts'
import { generateScimToken, hashScimToken, looksLikeScimToken, sameTokenHash } from './scim-token.secret.ts'
import { isRowId } from '../shared/row-id.ts'

/** Last use is recorded at most once a minute per token. */
const TOUCH_EVERY_MS = 60_000

function tokenName(input: unknown): string {
  if (input === undefined || input === null) return 'scim'
  const name = typeof input === 'string' ? withoutControls(input) : ''
  if (name.length === 0 || name.length > 100) throw scimTokenError('INVALID_SCIM_TOKEN_NAME')
  return name
}

export function scimTokenService(deps: Deps) {
  const { db } = deps.database

  async function create(ctx: RequestContext | null, accountId: number, nameInput: unknown) {
    const name = tokenName(nameInput)
    return inAccountTransaction(deps, accountId, async (trx) => {
      if (ctx) await assertActorMay(trx, ctx.actor, 'scim:manage')
      const now = deps.clock()
      const { token, hash, prefix } = generateScimToken()
      const id = await insertScimToken(trx, { accountId, name, hash, prefix, now })
      await audit(trx, ctx, {
        accountId,
        action: 'scim_token.create',
        target: String(id),
        details: { name },
        now,
      })
      return { id, token, name, prefix }
    })
  }

  async function revoke(ctx: RequestContext | null, accountId: number, idInput: unknown) {
    const id =
      typeof idInput === 'number'
        ? idInput
        : typeof idInput === 'string' && /^\d{1,15}$/.test(idInput)
          ? Number(idInput)
          : NaN
    if (!isRowId(id)) throw scimTokenError('SCIM_TOKEN_NOT_FOUND')
    return inAccountTransaction(deps, accountId, async (trx) => {
      if (ctx) await assertActorMay(trx, ctx.actor, 'scim:manage')
      const now = deps.clock()
      if (!(await revokeScimToken(trx, accountId, id, now))) throw scimTokenError('SCIM_TOKEN_NOT_FOUND')
      await audit(trx, ctx, { accountId, action: 'scim_token.revoke', target: String(id), now })
      return { id, revoked: true }
    })
  }

  return {
    /** The account a bearer token acts for, as the system actor `scim`; undefined when not live. */
    async authenticate(
      bearer: string,
      meta: { ip: string | null; userAgent: string | null },
    ): Promise<SystemContext | undefined> {
      if (!looksLikeScimToken(bearer)) return undefined
      const hash = hashScimToken(bearer)
      const row = await findLiveScimToken(db, hash)
      if (!row || !sameTokenHash(row.tokenHash, hash)) return undefined
      const now = deps.clock()
      if (row.lastUsedAt === null || now - Number(row.lastUsedAt) >= TOUCH_EVERY_MS)
        await touchScimToken(db, row.id, now)
      return { system: 'scim', accountId: row.accountId, ...meta }
    },

    create: (ctx: RequestContext, name: unknown) => create(ctx, ctx.actor.accountId, name),
    revoke: (ctx: RequestContext, id: unknown) => revoke(ctx, ctx.actor.accountId, id),

    async list(ctx: RequestContext) {
      await assertActorMay(db, ctx.actor, 'scim:manage')
      return listScimTokens(db, ctx.actor.accountId)
    },

    /** The account's SCIM settings as the Provisioning page shows them. */
    async settings(ctx: RequestContext) {
      await assertActorMay(db, ctx.actor, 'scim:manage')
      const account = await findAccount(db, ctx.actor.accountId)
      return {
        baseUrl: `${deps.config.publicUrl}/scim/v2`,
        defaultRole: account?.scim_default_role ?? 'GUEST',
      }
    },

    /** The role a SCIM-created member gets when the identity provider names none. */
    async setDefaultRole(ctx: RequestContext, roleInput: unknown) {
      const accountId = ctx.actor.accountId
      return inAccountTransaction(deps, accountId, async (trx) => {
        await assertActorMay(trx, ctx.actor, 'scim:manage')
        const role = await resolveRole(trx, accountId, roleInput)
        if (!role) throw scimTokenError('INVALID_SCIM_DEFAULT_ROLE')
        await setScimDefaultRole(trx, accountId, role.name)
        await audit(trx, ctx, {
          accountId,
          action: 'scim.default_role_change',
          details: { role: role.name },
          now: deps.clock(),
        })
        return { defaultRole: role.name }
      })
    },

    // Operator (CLI) versions: no member acts.
    createForAccount: (accountId: number, name: unknown) => create(null, accountId, name),
    revokeById: async (id: number) => {
      const token = isRowId(id) ? await findScimToken(db, id) : undefined
      if (!token) throw scimTokenError('SCIM_TOKEN_NOT_FOUND')
      return revoke(null, token.account_id, id)
    },
    listForAccount: (accountId: number) => listScimTokens(db, accountId),
  }
}

export type ScimTokenService = ReturnType<typeof scimTokenService>
