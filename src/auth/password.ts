/**
 * Passwords: scrypt (N=2^17, r=8, p=1, OWASP's recommended cost) from node:crypto, so there is no
 * native dependency. A hash records its parameters, so raising the cost later keeps old hashes
 * verifiable. Passwords are never logged and never leave this module in any form but the hash.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { readFileSync } from 'node:fs'

const LOG2_N = 17
const R = 8
const P = 1
const KEY_LENGTH = 32
const SALT_LENGTH = 16
// scrypt needs 128 * N * r bytes (128 MiB here); Node's default ceiling is 32 MiB.
const MAX_MEMORY = 256 * 1024 * 1024
export const MIN_PASSWORD_LENGTH = 8
const MAX_PASSWORD_LENGTH = 256

const COMMON: ReadonlySet<string> = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#')),
)

function derive(
  password: string,
  salt: Buffer,
  options: ScryptOptions,
  length = KEY_LENGTH,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, length, { ...options, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  )
}

/** `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`, base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, { N: 2 ** LOG2_N, r: R, p: P })
  return ['scrypt', LOG2_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const parts = hash.split('$')
  if (
    parts.length !== 6 ||
    parts[0] !== 'scrypt' ||
    typeof password !== 'string' ||
    password.length > MAX_PASSWORD_LENGTH
  )
    return false
  const [log2n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  // Bounds keep a corrupted row from turning a sign-in into a memory bomb.
  if (
    ![log2n, r, p].every(Number.isSafeInteger) ||
    log2n < 10 ||
    log2n > 20 ||
    r < 1 ||
    r > 32 ||
    p < 1 ||
    p > 4
  )
    return false
  const salt = Buffer.from(parts[4]!, 'base64url')
  const expected = Buffer.from(parts[5]!, 'base64url')
  if (salt.length === 0 || expected.length < 16) return false
  const actual = await derive(password, salt, { N: 2 ** log2n, r, p }, expected.length)
  return timingSafeEqual(actual, expected)
}

/** The `Password …` message for a password that may not be used, or undefined when acceptable. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || password.length === 0) return 'Password is required.'
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`
  if (COMMON.has(password.toLowerCase())) return 'Password is too common; choose a less predictable one.'
  return undefined
}

// A fixed hash to verify against when the user does not exist, so a sign-in takes as long
// whether or not the email is known.
let dummyHash: Promise<string> | undefined
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('roster-no-such-user')
  await verifyPassword(await dummyHash, password)
  return false
}
