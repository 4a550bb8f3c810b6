import { MAX_BULK_ROWS } from './bulk-invitation.service.ts'
import { inviteBody } from './invitation.schemas.ts'

export const bulkInviteBody = {
  type: 'object',
  properties: {
    invitations: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BULK_ROWS,
      items: {
        type: 'object',
        properties: {
          inviteeEmail: inviteBody.properties.inviteeEmail,
          inviteeRole: inviteBody.properties.inviteeRole,
          inviteeName: inviteBody.properties.inviteeName,
        },
      },
    },
    websiteHostName: inviteBody.properties.websiteHostName,
  },
  required: ['invitations'],
  example: {
    invitations: [
      { inviteeEmail: 'bob@acme.com', inviteeRole: 'DEVELOPER', inviteeName: 'Bob' },
      { inviteeEmail: 'eve@acme.com', inviteeRole: 'GUEST' },
    ],
  },
} as const

export const bulkInviteResponse = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      description: 'One per row, in input order.',
      items: {
        anyOf: [
          {
            type: 'object',
            properties: {
              inviteeEmail: { type: 'string' },
              ok: { type: 'boolean', enum: [true] },
              finalInviteCode: { type: 'string' },
              inviteeRole: { type: 'string' },
            },
            required: ['inviteeEmail', 'ok', 'finalInviteCode', 'inviteeRole'],
          },
          {
            type: 'object',
            properties: {
              inviteeEmail: { type: 'string' },
              ok: { type: 'boolean', enum: [false] },
              code: {
                type: 'string',
                description: "inviteUsers' error code, RATE_LIMITED, or DUPLICATE_IN_BATCH.",
              },
              message: { type: 'string' },
            },
            required: ['inviteeEmail', 'ok', 'code', 'message'],
          },
        ],
      },
    },
  },
  required: ['results'],
} as const
