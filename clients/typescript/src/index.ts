/**
 * Roster's typed client: every /api/* call with its body and answer typed from the server's own
 * OpenAPI document (schema.ts is generated; see README "Large teams").
 *
 *   const roster = createRosterClient({ baseUrl: 'http://localhost:8080', apiKey })
 *   const { data } = await roster.POST('/api/listTeam', { body: { search: 'ali' } })
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch'
import type { paths } from './schema.ts'

export type { components, paths } from './schema.ts'
export type RosterClient = Client<paths>

export interface RosterClientOptions extends ClientOptions {
  /** An API key (X-API-KEY); without one, the browser's session cookie is used. */
  apiKey?: string
}

export function createRosterClient({ apiKey, headers, ...options }: RosterClientOptions = {}): RosterClient {
  return createClient<paths>({
    credentials: 'same-origin',
    ...options,
    headers: {
      ...(apiKey ? { 'x-api-key': apiKey } : {}),
      ...(headers as Record<string, string> | undefined),
    },
  })
}
