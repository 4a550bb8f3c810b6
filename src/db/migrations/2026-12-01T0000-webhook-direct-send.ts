import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'

// Frozen: the webhook fan-out sends an endpoint with nothing queued its events straight away and
// writes each delivery once, with its outcome (webhooks/webhook.fan-out.ts).
// - lease_token, lease_until: the worker sending a batch holds the position meanwhile; a lease
//   left by a worker that died lapses, and the next one sends the batch again.
// - id_salt: a webhook-id is derived from its audit event and this, so a batch sent again after
//   a crash carries the ids it first went out with, and two databases never make the same id.
//   Drawn here for a position that exists; one made later draws its own (webhook.fan-out.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_fan_out').addColumn('lease_token', 'varchar(64)').execute()
  await db.schema.alterTable('webhook_fan_out').addColumn('lease_until', 'bigint').execute()
  await db.schema.alterTable('webhook_fan_out').addColumn('id_salt', 'varchar(64)').execute()
  const salt = randomBytes(6).toString('hex')
  await db.updateTable('webhook_fan_out').set({ id_salt: salt }).where('id', '=', 1).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_fan_out').dropColumn('id_salt').execute()
  await db.schema.alterTable('webhook_fan_out').dropColumn('lease_until').execute()
  await db.schema.alterTable('webhook_fan_out').dropColumn('lease_token').execute()
}
