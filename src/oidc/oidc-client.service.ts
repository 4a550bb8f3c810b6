/**
 * Applications (OIDC clients) of an account: created, listed and deleted by its ADMINs. The
 * secret is shown once and stored as a SHA-256 hash; deleting an application ends every grant
 * and token it was issued, at once, and keeps its row as a tombstone (see oidc-adapter.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import type { RequestContext } from '../shared/actor.ts'
import { epochSeconds } from '../shared/epoch-seconds.ts'
import type { Deps } from '../shared/deps.ts'
import { oidcClientError } from './oidc-client.errors.ts'
import {
  deleteClientRow,
  findClientRow,
  insertClientRow,
  listClientRows,
  type ClientRow,
} from './oidc-client.repository.ts'
import { deleteForClient } from './oidc-payload.repository.ts'

export interface NewClientInput {
  name?: unknown
  redirectUris?: unknown
  postLogoutRedirectUris?: unknown
  public?: unknown
}

export interface ClientView {
  clientId: string
  name: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  public: boolean
  /** Epoch seconds, in the API and the CLI alike. */
  createdAt: number
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

/** True when `secret` is the one whose hash is stored (constant time). */
export function secretMatches(hash: string, secret: string): boolean {
  const a = Buffer.from(hash, 'hex')
  const b = Buffer.from(hashSecret(secret), 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Exact URIs only: https, or http on a loopback host; no fragment, no wildcard. */
function redirectUris(input: unknown, required: boolean): string[] {
  if (input === undefined && !required) return []
  if (!Array.isArray(input) || (required && input.length === 0)) throw oidcClientError('INVALID_REDIRECT_URI')
  if (input.length > 20) throw oidcClientError('TOO_MANY_REDIRECT_URIS')
  return [
    ...new Set(
      input.map((raw) => {
        if (typeof raw !== 'string' || raw.length > 2000 || raw.includes('*'))
          throw oidcClientError('INVALID_REDIRECT_URI')
        let url: URL
        try {
          url = new URL(raw)
        } catch {
          throw oidcClientError('INVALID_REDIRECT_URI')
        }
        const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1'
        const okScheme = url.protocol === 'https:' || (url.protocol === 'http:' && loopback)
        if (!okScheme || url.hash !== '' || raw.includes('#') || url.username || url.password)
          throw oidcClientError('INVALID_REDIRECT_URI')
        return raw
      }),
    ),
  ]
}

function view(row: ClientRow): ClientView {
  return {
    clientId: row.client_id,
    name: row.name,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    public: row.secret_hash === null,
    createdAt: epochSeconds(Number(row.created_at)),
  }
}

export function oidcClientService(deps: Deps) {
  const { db } = deps.database

  async function create(accountId: number, meta: RequestContext | null, input: NewClientInput) {
    const name = typeof input.name === 'string' ? input.name.trim() : ''
    if (name.length === 0 || name.length > 200) throw oidcClientError('INVALID_CLIENT_NAME')
    const redirects = redirectUris(input.redirectUris, true)
    const postLogout = redirectUris(input.postLogoutRedirectUris, false)
    const isPublic = input.public === true
    const clientId = `rst_app_${randomBytes(12).toString('base64url')}`
    const secret = isPublic ? undefined : `rst_secret_${randomBytes(32).toString('base64url')}`
    const now = deps.clock()
    await inAccountTransaction(deps, accountId, async (trx) => {
      await insertClientRow(trx, {
        client_id: clientId,
        account_id: accountId,
        name,
        secret_hash: secret === undefined ? null : hashSecret(secret),
        redirect_uris: JSON.stringify(redirects),
        post_logout_redirect_uris: JSON.stringify(postLogout),
        created_at: now,
        deleted_at: null,
      })
      await audit(trx, meta, {
        accountId,
        action: 'oidc_client.create',
        target: clientId,
        details: { name },
        now,
      })
    })
    return { clientId, ...(secret === undefined ? {} : { clientSecret: secret }) }
  }

  async function remove(accountId: number, meta: RequestContext | null, clientId: unknown) {
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 64)
      throw oidcClientError('OIDC_CLIENT_NOT_FOUND')
    const now = deps.clock()
    await inAccountTransaction(deps, accountId, async (trx) => {
      if (!(await deleteClientRow(trx, accountId, clientId, now)))
        throw oidcClientError('OIDC_CLIENT_NOT_FOUND')
      await deleteForClient(trx, clientId)
      await audit(trx, meta, { accountId, action: 'oidc_client.delete', target: clientId, now })
    })
    return { deleted: true as const }
  }

  return {
    /** An ADMIN adds an application to their account. */
    add: (ctx: RequestContext, input: NewClientInput) => create(ctx.actor.accountId, ctx, input),
    list: async (accountId: number) => (await listClientRows(db, accountId)).map(view),
    delete: (ctx: RequestContext, clientId: unknown) => remove(ctx.actor.accountId, ctx, clientId),
    /** The operator (CLI) acts on any account. */
    addAsOperator: (accountId: number, input: NewClientInput) => create(accountId, null, input),
    async deleteAsOperator(clientId: string) {
      const row = await findClientRow(db, clientId)
      if (!row) throw oidcClientError('OIDC_CLIENT_NOT_FOUND')
      return remove(row.account_id, null, clientId)
    },
  }
}

export type OidcClientService = ReturnType<typeof oidcClientService>
