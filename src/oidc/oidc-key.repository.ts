import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

/** Live keys of a kind, newest first (the newest signing key signs). */
export function liveKeys(db: Db, kind: 'sig' | 'cookie') {
  return db
    .selectFrom('oidc_keys')
    .select(['kid', 'secret', 'created_at'])
    .where('kind', '=', kind)
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('kid', 'desc')
    .execute()
}

export async function insertKey(
  db: Db,
  key: { kid: string; kind: 'sig' | 'cookie'; secret: string; now: number },
) {
  await db
    .insertInto('oidc_keys')
    .values({ kid: key.kid, kind: key.kind, secret: key.secret, created_at: key.now, retired_at: null })
    .execute()
}

/** Retires every live key of a kind except the newest `keep`; returns the kids retired. */
export async function retireAllBut(
  db: Db,
  kind: 'sig' | 'cookie',
  keep: string,
  now: number,
): Promise<string[]> {
  const rows = await db
    .updateTable('oidc_keys')
    .set({ retired_at: now })
    .where('kind', '=', kind)
    .where('retired_at', 'is', null)
    .where('kid', '!=', keep)
    .returning('kid')
    .execute()
  return rows.map((r) => r.kid)
}
