import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { DatabaseHandle } from '../db/engine.ts'

const status = { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } as const

export async function healthRoutes(app: FastifyInstance, { database }: { database: DatabaseHandle }) {
  app.get('/healthz', {
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: status } },
    handler: async () => ({ status: 'ok' }),
  })

  app.get('/readyz', {
    schema: { tags: ['health'], summary: 'The database answers', response: { 200: status, 503: status } },
    handler: async (_request, reply) => {
      try {
        await sql`select 1`.execute(database.db)
        return { status: 'ready' }
      } catch {
        return reply.status(503).header('retry-after', '5').send({ status: 'database unavailable' })
      }
    },
  })
}
