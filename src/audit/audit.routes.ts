import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { auditLogResponse, auditQueryBody } from './audit.schemas.ts'
import type { AuditQuery } from './audit.query.ts'

export async function auditRoutes(app: FastifyInstance, { audit }: { audit: AuditQuery }) {
  app.post<{ Body: { limit?: number; before?: number } }>('/api/getAuditLogs', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['audit'],
      summary: "The account's audit log, newest first (ADMIN)",
      security,
      body: auditQueryBody,
      response: { 200: auditLogResponse, ...authErrors },
    },
    handler: (request) => audit.forActor(request.ctx.actor, request.body),
  })
}
