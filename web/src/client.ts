/**
 * The typed client (clients/typescript, generated from /openapi.json) for the page's calls, with
 * the same failure handling as api.ts: a failure becomes an ApiError with its code.
 */
import { createRosterClient } from '../../clients/typescript/src/index.ts'
import { ApiError } from './api.ts'

export const roster = createRosterClient()

/** The data of a call, or its failure as an ApiError. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await call
  } catch {
    throw new ApiError(0, 'NETWORK', 'Roster cannot be reached; check your connection and try again.')
  }
  if (result.data !== undefined && result.response.ok) return result.data
  const error = (result.error ?? {}) as { actionErrors?: string[]; code?: string }
  throw new ApiError(
    result.response.status,
    error.code ?? 'UNKNOWN',
    error.actionErrors?.[0] ?? `Request failed (${result.response.status}).`,
  )
}
