import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errorOfValidation } from '../http/error-handler.ts'
import { authErrors, security } from '../http/schemas.ts'
import type { AppError } from '../shared/app-error.ts'
import {
  bulkInviteBody,
  bulkInviteEnvelope,
  bulkInviteResponse,
  bulkInviteRow,
} from './bulk-invitation.schemas.ts'
import type { BulkInvitationService, BulkRow } from './bulk-invitation.service.ts'
import { inviteFieldErrors } from './invitation.routes.ts'

/**
 * Rows are independent (large-teams.md): a row whose fields have the wrong type is refused on
 * its own, with what inviteUsers answers such a body, and the other rows go on. The schema's
 * first failure only says that something is wrong; anything outside the rows (no array, too many
 * rows, a row that is no object) still refuses the whole request.
 */
function refusedRows(request: FastifyRequest): Map<number, AppError> {
  const refused = new Map<number, AppError>()
  const failure = request.validationError
  if (!failure) return refused
  if (!request.compileValidationSchema(bulkInviteEnvelope)(request.body)) throw failure
  const rowIsValid = request.compileValidationSchema(bulkInviteRow)
  const { invitations } = request.body as { invitations: unknown[] }
  invitations.forEach((row, i) => {
    if (!rowIsValid(row)) refused.set(i, errorOfValidation(rowIsValid.errors ?? [], inviteFieldErrors, row))
  })
  return refused
}

export async function bulkInvitationRoutes(app: FastifyInstance, { bulk }: { bulk: BulkInvitationService }) {
  app.post<{ Body: { invitations: BulkRow[]; websiteHostName?: string } }>('/api/inviteUsersBulk', {
    config: { permission: 'invitations:create' },
    // The handler sorts a failure out: a bad row is that row's answer (refusedRows).
    attachValidation: true,
    schema: {
      tags: ['invitations'],
      summary: 'Invite up to 1000 people at once; one result per row',
      security,
      body: bulkInviteBody,
      response: { 200: bulkInviteResponse, ...authErrors },
    },
    handler: async (request) => {
      const refused = refusedRows(request)
      return {
        results: await bulk.inviteMany(request.ctx, request.body.invitations, {
          websiteHostName: request.body.websiteHostName,
          refused,
        }),
      }
    },
  })
}
