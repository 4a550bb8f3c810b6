/**
 * RFC 6238 codes through `otpauth`, with the clock passed in (tests move it). A code names its
 * time step; the caller records the step so that the same code is never accepted twice.
 */
import { createHash, randomBytes } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { RECOVERY_CODE_COUNT, TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_WINDOW } from './mfa-policy.ts'

const ISSUER = 'Roster'

function totpOf(secret: string, label: string) {
  return new TOTP({
    issuer: ISSUER,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  })
}

/** 160 random bits, base32 (RFC 4226's recommended length). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

export function otpauthUrl(secret: string, email: string): string {
  return totpOf(secret, email).toString()
}

/** The otpauth URL as a QR code, an SVG data: URL (the page's CSP allows data: images). */
export async function qrCodeDataUrl(url: string): Promise<string> {
  // Loaded on the first enrolment, not on every start.
  const { default: QRCode } = await import('qrcode')
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

/** The time step a code belongs to (within ±1 step of now), or undefined when it matches none. */
export function matchingStep(secret: string, code: unknown, now: number): number | undefined {
  if (typeof code !== 'string') return undefined
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return undefined
  const delta = TOTP.validate({
    token,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: now,
    window: TOTP_WINDOW,
  })
  if (delta === null) return undefined
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: now }) + delta
}

/** The code of a step: for tests and tools, as an authenticator app would show it. */
export function codeAt(secret: string, timestamp: number): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp,
  })
}

const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'

/** Ten codes of 10 characters (50 bits each), shown once as `xxxxx-xxxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10)
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % 32]!).join('')
    return `${chars.slice(0, 5)}-${chars.slice(5)}`
  })
}

/** SHA-256 of the code without separators or case: high-entropy, so a fast hash suffices. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(code.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .digest('hex')
}
