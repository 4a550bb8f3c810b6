export const listTeamBody = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['members', 'invitations'], default: 'members' },
    search: {
      type: 'string',
      maxLength: 320,
      description:
        'Case-insensitive: the start of the email, of the name, or of any word of the name (a word starts after a space, hyphen, apostrophe, period or opening parenthesis).',
    },
    role: { type: 'string', maxLength: 50, description: 'Only this role (built-in or custom name).' },
    cursor: {
      type: 'string',
      maxLength: 2048,
      description: "The previous page's nextCursor, with the same kind, search and role.",
    },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
  example: { kind: 'members', search: 'ali', limit: 50 },
} as const

const memberItem = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    login: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    baseRole: { type: 'string', enum: ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'] },
    status: { type: 'string', enum: ['active', 'suspended'] },
    joinedAt: { type: 'string', format: 'date-time' },
    lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'login', 'name', 'role', 'baseRole', 'status', 'joinedAt', 'lastSeenAt'],
} as const

const invitationItem = {
  type: 'object',
  properties: {
    login: { type: 'string' },
    role: { type: 'string' },
    invitedBy: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    emailStatus: {
      type: ['string', 'null'],
      description: 'Delivery of the invitation email: pending, sending, sent or failed.',
    },
  },
  required: ['login', 'role', 'invitedBy', 'createdAt', 'expiresAt', 'emailStatus'],
} as const

export const listTeamResponse = {
  type: 'object',
  properties: {
    items: { type: 'array', items: { anyOf: [memberItem, invitationItem] } },
    nextCursor: { type: ['string', 'null'], description: 'Null on the last page.' },
    total: { type: 'integer', description: 'Every row of this kind, before search and role filters.' },
  },
  required: ['items', 'nextCursor', 'total'],
} as const
