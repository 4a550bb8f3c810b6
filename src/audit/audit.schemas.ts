import { MAX_ROW_ID } from '../shared/row-id.ts'

export const auditQueryBody = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 200, description: 'Entries per page (default 50).' },
    before: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_ROW_ID,
      description: 'Return entries older than this id (the previous page’s nextBefore).',
    },
  },
  example: { limit: 50 },
} as const

const event = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    action: { type: 'string' },
    actorUserId: { type: ['integer', 'null'] },
    actorEmail: { type: ['string', 'null'] },
    actorApiKeyId: { type: ['integer', 'null'] },
    actorSessionId: { type: ['integer', 'null'] },
    actorSystem: {
      type: ['string', 'null'],
      description: "A system actor such as 'scim' (an identity provider).",
    },
    target: { type: ['string', 'null'] },
    details: { type: ['object', 'null'], additionalProperties: true },
    ip: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
    timestamp: { type: 'integer', description: 'Epoch milliseconds.' },
  },
  required: ['id', 'action', 'timestamp'],
} as const

export const auditLogResponse = {
  type: 'object',
  properties: {
    auditLogs: { type: 'array', items: event },
    nextBefore: {
      type: ['integer', 'null'],
      description: 'Pass as `before` for the next page; null on the last.',
    },
  },
  required: ['auditLogs', 'nextBefore'],
  example: {
    auditLogs: [
      {
        id: 7,
        action: 'invitation.create',
        actorUserId: 1,
        actorEmail: 'ada@acme.com',
        target: 'bob@acme.com',
        timestamp: 1795000000000,
      },
    ],
    nextBefore: null,
  },
} as const

export const aktoAuditQueryBody = {
  type: 'object',
  properties: {
    skip: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
    limit: { type: 'integer', minimum: -1, maximum: 1_000_000_000, description: '-1: all (at most 10,000).' },
    sortOrder: { type: 'integer', enum: [-1, 1], description: '-1 newest first, 1 oldest first.' },
    startTimestamp: {
      type: 'integer',
      minimum: 0,
      maximum: 100_000_000_000,
      description: 'Epoch seconds, inclusive.',
    },
    endTimestamp: {
      type: 'integer',
      minimum: 0,
      maximum: 100_000_000_000,
      description: 'Epoch seconds, exclusive.',
    },
  },
  example: { skip: 0, limit: 50, sortOrder: -1, startTimestamp: 1764374400, endTimestamp: 1764460800 },
} as const

export const aktoAuditLogResponse = {
  type: 'object',
  properties: {
    apiAuditLogs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          timestamp: { type: 'integer', description: 'Epoch seconds.' },
          apiEndpoint: { type: 'string' },
          actionDescription: { type: 'string' },
          userEmail: { type: 'string' },
          userAgent: { type: 'string' },
          userIpAddress: { type: 'string' },
        },
        required: [
          'timestamp',
          'apiEndpoint',
          'actionDescription',
          'userEmail',
          'userAgent',
          'userIpAddress',
        ],
      },
    },
    totalAuditLogs: { type: 'integer' },
  },
  required: ['apiAuditLogs', 'totalAuditLogs'],
} as const

export const lastLoginResponse = {
  type: 'object',
  properties: {
    lastLoginTs: { type: 'integer', description: 'Epoch seconds of the last sign-in; 0: never.' },
  },
  required: ['lastLoginTs'],
} as const
