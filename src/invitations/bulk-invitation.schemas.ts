import { MAX_BULK_ROWS } from './bulk-invitation.service.ts'
import { inviteBody } from './invitation.schemas.ts'

/** One row: inviteUsers' fields but the link's origin, which is the batch's. */
export const bulkInviteRow = {
  type: 'object',
  properties: {
    inviteeEmail: inviteBody.properties.inviteeEmail,
    inviteeRole: inviteBody.properties.inviteeRole,
    inviteeName: inviteBody.properties.inviteeName,
  },
} as const

export const bulkInviteBody = {
  type: 'object',
  properties: {
    invitations: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BULK_ROWS,
      items: bulkInviteRow,
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

/** The request with its rows taken as any objects: what must hold before each row is looked at. */
export const bulkInviteEnvelope = {
  ...bulkInviteBody,
  properties: {
    ...bulkInviteBody.properties,
    invitations: { ...bulkInviteBody.properties.invitations, items: { type: 'object' } },
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
