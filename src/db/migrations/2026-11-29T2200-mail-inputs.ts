import type { Kysely } from 'kysely'

// Frozen: a message is queued as its template's inputs (JSON), rendered when it is sent. Rows
// queued before keep their rendered text in text_body/html_body and have no inputs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('inputs', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('inputs').execute()
}
