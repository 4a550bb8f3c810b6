/**
 * The keys that sign invitation codes. Generated on first start and kept in the database so
 * that every instance signs and verifies alike; a new generation can be added to rotate, and
 * older generations keep verifying the links they signed (looked up by `kid`).
 */
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { insertSigningKeyIfAbsent, newestSigningKey, signingKeyByKid } from './signing-key.repository.ts'

export interface SigningKey {
  readonly kid: string
  readonly secret: Uint8Array
}

function toKey(row: { kid: string; secret: string }): SigningKey {
  return { kid: row.kid, secret: Buffer.from(row.secret, 'base64url') }
}

export class SigningKeys {
  private current: SigningKey | undefined
  private readonly byKid = new Map<string, SigningKey>()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number,
  ) {}

  /** Makes sure a key exists (racing instances agree on one) and loads the newest. */
  async ensure(): Promise<void> {
    if (!(await newestSigningKey(this.db))) await this.insertGeneration(1)
    await this.reload()
  }

  /** Adds the next generation; new codes are signed with it, old ones still verify. */
  async rotate(): Promise<string> {
    const newest = await newestSigningKey(this.db)
    await this.insertGeneration((newest?.generation ?? 0) + 1)
    await this.reload()
    return this.current!.kid
  }

  signingKey(): SigningKey {
    if (!this.current) throw new Error('SigningKeys.ensure() was not called')
    return this.current
  }

  /** The key for a `kid`, from memory or (another instance rotated) the database. */
  async verificationKey(kid: string): Promise<SigningKey | undefined> {
    const cached = this.byKid.get(kid)
    if (cached) return cached
    const row = await signingKeyByKid(this.db, kid)
    if (!row) return undefined
    const key = toKey(row)
    this.byKid.set(kid, key)
    return key
  }

  private async insertGeneration(generation: number) {
    await insertSigningKeyIfAbsent(this.db, {
      generation,
      kid: randomBytes(12).toString('base64url'),
      secret: randomBytes(32).toString('base64url'),
      now: this.clock(),
    })
  }

  private async reload() {
    const row = await newestSigningKey(this.db)
    if (!row) throw new Error('no signing key after insert')
    this.current = toKey(row)
    this.byKid.set(row.kid, this.current)
  }
}
