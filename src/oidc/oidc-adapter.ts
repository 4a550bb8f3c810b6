/**
 * oidc-provider's storage Adapter over Roster's database: every instance behind one database
 * serves one flow in turns. The `Client` model is read from the applications table (see
 * oidc-client.repository.ts), a deleted one only where it authenticates itself; everything else
 * is a row of oidc_payloads.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Adapter, AdapterPayload } from 'oidc-provider'
import type { Database } from '../db/schema.ts'
import { findClientRow } from './oidc-client.repository.ts'
import { clientMetadata, type SecretMethod } from './oidc-client-metadata.ts'
import {
  consumePayload,
  deleteByGrantId,
  destroyPayload,
  findPayload,
  upsertPayload,
} from './oidc-payload.repository.ts'

/** What the HTTP edge learnt about the client of this request, before the provider sees it. */
export interface ClientRequest {
  /**
   * The endpoint is one where the client authenticates itself (token, introspection,
   * revocation). Only there is a deleted application still found, so it learns that its grants
   * are gone (`invalid_grant`, `{"active": false}`); everywhere else it is an unknown client.
   */
  authenticating: boolean
  /**
   * A client secret checked against its stored hash. Only then does the client's metadata carry
   * that secret, so oidc-provider's own comparison succeeds; otherwise it carries an
   * unguessable value and fails.
   */
  checked?: { clientId: string; secret: string; method: SecretMethod }
}

export const clientRequest = new AsyncLocalStorage<ClientRequest>()
const UNGUESSABLE = randomBytes(32).toString('base64url')

export function adapterFactory(db: Kysely<Database>, clock: () => number) {
  return class RosterAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await upsertPayload(db, {
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        expiresAt: expiresIn ? clock() + expiresIn * 1000 : null,
        grantId: payload.grantId ?? null,
        uid: payload.uid ?? null,
        userCode: payload.userCode ?? null,
        clientId: payload.clientId ?? null,
        subject: payload.accountId ?? null,
      })
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const request = clientRequest.getStore()
        const row = await findClientRow(db, id, { includeDeleted: true })
        if (!row || (row.deleted_at !== null && request?.authenticating !== true)) return undefined
        const mine = request?.checked?.clientId === id ? request.checked : undefined
        return clientMetadata(row, mine?.secret ?? UNGUESSABLE, mine?.method) as AdapterPayload
      }
      return this.read({ column: 'id', value: id })
    }

    findByUid(uid: string) {
      return this.read({ column: 'uid', value: uid })
    }

    findByUserCode(userCode: string) {
      return this.read({ column: 'user_code', value: userCode })
    }

    async consume(id: string): Promise<void> {
      await consumePayload(db, this.model, id, clock())
    }

    async destroy(id: string): Promise<void> {
      await destroyPayload(db, this.model, id)
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await deleteByGrantId(db, grantId)
    }

    private async read(key: { column: 'id' | 'uid' | 'user_code'; value: string }) {
      const row = await findPayload(db, this.model, key, clock())
      if (!row) return undefined
      const payload = JSON.parse(row.payload) as AdapterPayload
      return row.consumed_at === null ? payload : { ...payload, consumed: Math.floor(row.consumed_at / 1000) }
    }
  }
}
