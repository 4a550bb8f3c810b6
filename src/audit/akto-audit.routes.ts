/** The audit calls of Akto's dashboard (akto-compat.md §8), over the same audit log. */
import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { AppError } from '../shared/app-error.ts'
import { emptyBody } from '../team/team.schemas.ts'
import type { AktoAuditLog, AktoAuditQuery } from './akto-audit-log.ts'
import { aktoAuditLogResponse, aktoAuditQueryBody, lastLoginResponse } from './audit.schemas.ts'

const auditForbidden = () => new AppError('AUDIT_FORBIDDEN', 'You do not have access to the audit logs.')

export async function aktoAuditRoutes(app: FastifyInstance, { aktoAudit }: { aktoAudit: AktoAuditLog }) {
  app.post<{ Body: AktoAuditQuery }>('/api/fetchApiAuditLogsFromDb', {
    config: { permission: 'audit:read', forbidden: auditForbidden },
    schema: {
      tags: ['audit'],
      summary: "The account's audit log in a time range, as Akto's dashboard reads it (ADMIN)",
      security,
      body: aktoAuditQueryBody,
      response: { 200: aktoAuditLogResponse, ...authErrors },
    },
    handler: (request) => aktoAudit.fetch(request.ctx.actor, request.body),
  })

  app.post('/api/fetchUserLastLoginTs', {
    config: { permission: 'self:read' },
    schema: {
      tags: ['sessions'],
      summary: 'When the caller last signed in (epoch seconds; 0: never)',
      security,
      body: emptyBody,
      response: { 200: lastLoginResponse, ...authErrors },
    },
    handler: (request) => aktoAudit.lastLogin(request.ctx.actor),
  })
}
