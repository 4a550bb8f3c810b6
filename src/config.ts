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
  /** How long an emailed password-reset link works, in seconds. */
  readonly passwordResetTtlSeconds: number
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
  /** SMTP transport URL (smtp:// or smtps://); null keeps messages in the outbox and logs them. */
  readonly smtpUrl: string | null
  /** The From header of outgoing mail. */
  readonly mailFrom: string
  /** Delivery attempts before a message is marked failed. */
  readonly mailMaxAttempts: number
  /** First retry delay; each later one doubles, up to mailRetryMaxMs. */
  readonly mailRetryBaseMs: number
  readonly mailRetryMaxMs: number
  /** How often the outbox worker looks for due messages. */
  readonly mailPollMs: number
  /** A session ends after this long without a request... */
  readonly sessionIdleSeconds: number
  /** ...and in any case this long after sign-in. */
  readonly sessionMaxSeconds: number
  /** Bearer token that /metrics requires; null with metricsPort null: no /metrics at all. */
  readonly metricsToken: string | null
  /** A port of its own (on HOST) that serves only /metrics; null: none. */
  readonly metricsPort: number | null
  /** Sign-in attempts allowed per client address per minute. */
  readonly loginRateLimit: number
  /** The window of that limit, in seconds (LOGIN_RATE_LIMIT_WINDOW). */
  readonly loginRateLimitWindowSeconds: number
  /** The built web page (index.html and assets/), relative to the working directory. */
  readonly webDir: string
  /** Webhook delivery: bounds of one attempt, retries, and where endpoints may point. */
  readonly webhooks: {
    readonly timeoutMs: number
    readonly retryBaseMs: number
    readonly maxAttempts: number
    readonly pollMs: number
    /** http:// endpoints allowed (otherwise https:// only). */
    readonly allowHttp: boolean
    /** Loopback, private, link-local… addresses allowed (tests, private networks). */
    readonly allowPrivate: boolean
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
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`)
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

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '' || raw === '0') return false
  if (raw === '1') return true
  throw new ConfigError(name, `must be 0 or 1, got "${raw}"`)
}

function smtpUrlOf(raw: string | undefined): string | null {
  const value = raw?.trim()
  if (!value) return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL')
  }
  // The URL may hold a password: never echo it back.
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL')
  if (!url.hostname) throw new ConfigError('SMTP_URL', 'must name a host')
  return value
}

function metricsTokenOf(raw: string | undefined): string | null {
  const value = raw?.trim()
  if (!value) return null
  // Prometheus sends it in a header on every scrape: long enough not to be guessed, header-safe.
  if (value.length < 16 || !/^[\x21-\x7e]+$/.test(value)) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 printable characters without spaces')
  }
  return value
}

function metricsPortOf(env: Env, port: number): number | null {
  if (!env.METRICS_PORT?.trim()) return null
  const value = integer(env, 'METRICS_PORT', 0, 1, 65535)
  // Its own listener: on PORT it would fail to bind with an error that names neither variable.
  if (value === port) throw new ConfigError('METRICS_PORT', `must differ from PORT (${port})`)
  return value
}

function mailFromOf(raw: string | undefined): string {
  const value = raw?.trim() || 'Roster <roster@localhost>'
  // A header value: CR/LF would let it inject further headers.
  if (/[\r\n]/.test(value) || !/[^\s@<>]+@[^\s@<>]+/.test(value) || value.length > 320) {
    throw new ConfigError(
      'MAIL_FROM',
      `must be an address such as "Roster <roster@acme.com>", got "${value.replace(/[\r\n]/g, ' ')}"`,
    )
  }
  return value
}

function databaseUrlOf(raw: string | undefined): string {
  const value = raw?.trim() || './data/roster.db'
  // Any other scheme (mysql://…) would otherwise be taken for a SQLite path and create ./mysql:/.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase()
  if (scheme !== undefined && !['sqlite', 'postgres', 'postgresql'].includes(scheme)) {
    // The URL may hold a password: name only its scheme.
    throw new ConfigError(
      'DATABASE_URL',
      `must be a SQLite file path or a postgres:// URL, got a ${scheme}:// URL`,
    )
  }
  return value
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535)
  const host = env.HOST?.trim() || '127.0.0.1'
  const databaseUrl = databaseUrlOf(env.DATABASE_URL)
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
  const mailRetryBaseMs = integer(env, 'MAIL_RETRY_BASE_MS', 30_000, 10, 86_400_000)
  const mailRetryMaxMs = integer(env, 'MAIL_RETRY_MAX_MS', 3_600_000, 10, 7 * 86_400_000)
  if (mailRetryMaxMs < mailRetryBaseMs)
    throw new ConfigError('MAIL_RETRY_MAX_MS', 'must not be below MAIL_RETRY_BASE_MS')
  const sessionIdleSeconds = integer(env, 'SESSION_IDLE_TTL', 43_200, 60, 365 * 86400)
  const sessionMaxSeconds = integer(env, 'SESSION_MAX_TTL', 604_800, 60, 365 * 86400)
  if (sessionMaxSeconds < sessionIdleSeconds)
    throw new ConfigError('SESSION_MAX_TTL', 'must not be below SESSION_IDLE_TTL')
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
    passwordResetTtlSeconds: integer(env, 'PASSWORD_RESET_TTL', 3600, 300, 86400),
    logLevel,
    inviteLimits,
    authFailures,
    smtpUrl: smtpUrlOf(env.SMTP_URL),
    mailFrom: mailFromOf(env.MAIL_FROM),
    mailMaxAttempts: integer(env, 'MAIL_MAX_ATTEMPTS', 8, 1, 100),
    mailRetryBaseMs,
    mailRetryMaxMs,
    mailPollMs: integer(env, 'MAIL_POLL_MS', 5000, 10, 3_600_000),
    sessionIdleSeconds,
    sessionMaxSeconds,
    metricsToken: metricsTokenOf(env.METRICS_TOKEN),
    metricsPort: metricsPortOf(env, port),
    loginRateLimit: integer(env, 'LOGIN_RATE_LIMIT', 10, 1, 100_000),
    loginRateLimitWindowSeconds: integer(env, 'LOGIN_RATE_LIMIT_WINDOW', 60, 1, 86_400),
    webDir: env.WEB_DIR?.trim() || 'web/dist',
    webhooks: Object.freeze({
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 10, 600_000),
      retryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 5000, 1, 86_400_000),
      maxAttempts: integer(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
      pollMs: integer(env, 'WEBHOOK_POLL_MS', 1000, 10, 3_600_000),
      allowHttp: flag(env, 'WEBHOOK_ALLOW_HTTP'),
      allowPrivate: flag(env, 'WEBHOOK_ALLOW_PRIVATE'),
    }),
  })
}
