/** The email rule of spec §4, pure. */

// The spec's pattern. Inputs are capped first, so even its worst case stays bounded and fast.
const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/
const MAX_EMAIL_LENGTH = 320

/** Trimmed and lower-cased email, or undefined when it is missing or malformed. */
export function normalizeEmail(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > MAX_EMAIL_LENGTH + 64) return undefined
  const email = input.trim().toLowerCase()
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) return undefined
  return email
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1)
}

/** Account domains are stored lower-case; the comparison ignores case on both sides. */
export function belongsToDomains(email: string, domains: readonly string[]): boolean {
  const domain = domainOf(email).toLowerCase()
  return domains.some((d) => d.toLowerCase() === domain)
}

/** A bare domain such as `acme.com`, lower-cased, or undefined. */
export function normalizeDomain(input: string): string | undefined {
  const domain = input.trim().toLowerCase().replace(/^@/, '')
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/.test(domain) && domain.length <= 253 ? domain : undefined
}
