export const auditQueryBody = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 200, description: 'Entries per page (default 50).' },
    before: {
      type: 'integer',
      minimum: 1,
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
