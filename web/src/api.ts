/**
 * The only way the page talks to Roster: POST JSON to the public /api/* endpoints with the
 * session cookie. Failures arrive in the spec's shape and become an ApiError with its code.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Called when any request finds the session gone, so the app can show the sign-in page. */
let onSignedOut: () => void = () => {}
export function whenSignedOut(handler: () => void) {
  onSignedOut = handler
}

export async function api<T>(path: string, body: object = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(`/api/${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'NETWORK', 'Roster cannot be reached; check your connection and try again.')
  }
  const data: unknown = await response.json().catch(() => ({}))
  if (response.ok) return data as T
  const error = data as { actionErrors?: string[]; code?: string }
  const code = error.code ?? 'UNKNOWN'
  // A wrong password, or the first look at who is signed in, is not a session that ended.
  if (response.status === 401 && path !== 'login' && path !== 'me') onSignedOut()
  throw new ApiError(response.status, code, error.actionErrors?.[0] ?? `Request failed (${response.status}).`)
}

export interface Me {
  userId: number
  email: string
  name: string
  accountId: number
  accountName: string
  role: string
  baseRole: string
  roleHierarchy: string[]
  permissions: string[]
}

export interface Account {
  accountId: number
  name: string
  role: string
}

export interface TeamEntry {
  id: number
  login: string
  name: string
  role: string
  isInvitation?: boolean
  expiresAt?: string
  emailStatus?: string
}

export interface CustomRole {
  name: string
  baseRole: string
  defaultInviteRole: boolean
}

export interface ApiToken {
  id: number
  name: string
  keyPrefix: string
  username: string
  timestamp: number
  lastUsedAt: number | null
  key?: string
}

export interface ScimToken {
  id: number
  name: string
  prefix: string
  createdAt: number
  lastUsedAt: number | null
}

export interface AuditEvent {
  id: number
  action: string
  actorEmail?: string | null
  actorApiKeyId?: number | null
  target?: string | null
  details?: Record<string, unknown> | null
  ip?: string | null
  timestamp: number
}

/** The message to show for any failure. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong; try again.'
}
