/**
 * Configuration is read once at start-up from the environment, validated and frozen. A wrong
 * value stops start-up with a message that names the variable; no other module reads process.env.
 */
export interface Config {
  readonly port: number
  readonly host: string
  readonly databaseUrl: string
  /** Most PostgreSQL connections one instance holds open (ignored for SQLite). */
  readonly databasePoolSize: number
  /** Redis for state shared by every instance (rate-limit counters); absent: kept in memory. */
  readonly redisUrl: string | undefined
  /** Prefix of every Redis key Roster writes, so several deployments can share one Redis. */
  readonly redisPrefix: string
  /** Requests one client address may make to /api/* per window; 0 turns the limit off. */
  readonly rateLimitMax: number
  /** The rate-limit window in seconds. */
  readonly rateLimitWindowSeconds: number
  /** Origin of emailed invitation links (no trailing slash). */
  readonly publicUrl: string
  /** Origins accepted as `websiteHostName`: the public URL's origin plus ALLOWED_ORIGINS. */
  readonly allowedOrigins: readonly string[]
  /** Invitation lifetime in seconds. */
  readonly inviteTtlSeconds: number
  readonly logLevel: string
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
  const databasePoolSize = integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000)
  const redisUrl = env.REDIS_URL?.trim() || undefined
  if (redisUrl !== undefined && !/^rediss?:\/\//i.test(redisUrl)) {
    throw new ConfigError('REDIS_URL', `must be a redis:// or rediss:// URL, got "${redisUrl}"`)
  }
  const redisPrefix = env.REDIS_PREFIX?.trim() || 'roster:'
  const rateLimitMax = integer(env, 'RATE_LIMIT_MAX', 1000, 0, 1_000_000_000)
  const rateLimitWindowSeconds = integer(env, 'RATE_LIMIT_WINDOW', 1, 1, 86400)
  const inviteTtlSeconds = integer(env, 'INVITE_TTL', 604800, 60, 10 * 365 * 86400)
  const logLevel = env.LOG_LEVEL?.trim() || 'info'
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
  if (!levels.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${levels.join(', ')}`)
  return Object.freeze({
    port,
    host,
    databaseUrl,
    databasePoolSize,
    redisUrl,
    redisPrefix,
    rateLimitMax,
    rateLimitWindowSeconds,
    publicUrl,
    allowedOrigins: Object.freeze([...new Set([publicUrl, ...extra])]),
    inviteTtlSeconds,
    logLevel,
  })
}
