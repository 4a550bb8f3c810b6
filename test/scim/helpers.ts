/** SCIM over inject: a bearer token, application/scim+json, a parsed body. */
import type { LightMyRequestResponse } from 'fastify'
import type { TestApp } from '../helpers/app.ts'

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

export type Scim = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse & { json: any }>

export function scimClient(t: TestApp, token: string): Scim {
  return async (method, path, body, headers = {}) => {
    const res = await t.server.inject({
      method,
      url: `/scim/v2${path}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    })
    const json = res.body ? JSON.parse(res.body) : undefined
    return Object.assign(res, { json })
  }
}

export async function scimToken(t: TestApp, accountId: number): Promise<string> {
  return (await t.services.scimTokens.createForAccount(accountId, 'test')).token
}
