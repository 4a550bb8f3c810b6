/**
 * Configuration is read once at start-up from the environment, validated and frozen. A wrong
 * value stops start-up with a message that names the variable; no other module reads process.env.
 */
export interface Config {
  readonly port: number
  readonly host: string
  readonly databaseUrl: string
  /** Origin of emailed invitation links (no trailing slash). */
  readonly publicUrl: string
  /** Origins accepted as `websiteHostName`: the public URL's origin plus ALLOWED_ORIGINS. */
  readonly allowedOrigins: readonly string[]
  /** Invitation lifetime in seconds. */
  readonly inviteTtlSeconds: number
  readonly logLevel: string
  /** Bad credentials one address may present per window before it is answered 429. */
  readonly authFailures: { readonly limit: number; readonly windowSeconds: number }
  /** Invitations allowed per window: per account, per API key or session user, per invitee email. */
  readonly inviteLimits: {
    readonly perAccount: number
    readonly perKey: number
    readonly perEmail: number
    readonly windowSeconds: number
  }
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`)
  const value = Number(raw)
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`)
  return value
}

/** Parses an http(s) URL and returns its origin, or throws naming the variable. */
export function originOf(name: string, raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`)
  }
  return url.origin
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535)
  const host = env.HOST?.trim() || '127.0.0.1'
  const databaseUrl = env.DATABASE_URL?.trim() || './data/roster.db'
  const publicUrl = originOf('PUBLIC_URL', env.PUBLIC_URL?.trim() || `http://localhost:${port}`)
  const extra = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((origin) => originOf('ALLOWED_ORIGINS', origin))
  const inviteTtlSeconds = integer(env, 'INVITE_TTL', 604800, 60, 10 * 365 * 86400)
  const logLevel = env.LOG_LEVEL?.trim() || 'info'
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
  if (!levels.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${levels.join(', ')}`)
  const inviteLimits = Object.freeze({
    perAccount: integer(env, 'INVITE_LIMIT_PER_ACCOUNT', 1000, 1, 10_000_000),
    perKey: integer(env, 'INVITE_LIMIT_PER_KEY', 500, 1, 10_000_000),
    perEmail: integer(env, 'INVITE_LIMIT_PER_EMAIL', 10, 1, 10_000_000),
    windowSeconds: integer(env, 'INVITE_LIMIT_WINDOW', 3600, 1, 30 * 86400),
  })
  const authFailures = Object.freeze({
    limit: integer(env, 'AUTH_FAILURE_LIMIT', 30, 1, 10_000_000),
    windowSeconds: integer(env, 'AUTH_FAILURE_WINDOW', 60, 1, 86400),
  })
  return Object.freeze({
    port,
    host,
    databaseUrl,
    publicUrl,
    allowedOrigins: Object.freeze([...new Set([publicUrl, ...extra])]),
    inviteTtlSeconds,
    logLevel,
    inviteLimits,
    authFailures,
  })
}
