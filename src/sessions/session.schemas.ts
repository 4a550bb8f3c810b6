export const loginBody = {
  type: 'object',
  properties: { email: { type: 'string' }, password: { type: 'string' } },
  example: { email: 'ada@acme.com', password: 'correct horse battery staple' },
} as const

export const loginResponse = {
  type: 'object',
  description:
    'The signed-in user, in their most recently used account; sets the roster_session cookie. For a user with two-factor on: only `{mfaRequired: true, mfaToken}` and no session (complete with /api/verifyMfa).',
  properties: {
    userId: { type: 'integer' },
    email: { type: 'string' },
    name: { type: 'string' },
    accountId: { type: 'integer' },
    role: { type: 'string' },
    mfaRequired: { type: 'boolean' },
    mfaToken: { type: 'string' },
  },
  example: { userId: 1, email: 'ada@acme.com', name: 'Ada', accountId: 1, role: 'ADMIN' },
} as const

export const emptyObject = { type: 'object', additionalProperties: false, example: {} } as const

export const accountsResponse = {
  type: 'object',
  properties: {
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        properties: { accountId: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string' } },
        required: ['accountId', 'name', 'role'],
      },
    },
    currentAccountId: { type: 'integer' },
  },
  required: ['accounts', 'currentAccountId'],
  example: {
    accounts: [
      { accountId: 1, name: 'Acme', role: 'ADMIN' },
      { accountId: 2, name: 'Globex', role: 'GUEST' },
    ],
    currentAccountId: 1,
  },
} as const

export const switchAccountBody = {
  type: 'object',
  properties: { accountId: { type: ['integer', 'string'] } },
  example: { accountId: 2 },
} as const

export const meResponse = {
  type: 'object',
  properties: {
    userId: { type: 'integer' },
    email: { type: 'string' },
    name: { type: 'string' },
    accountId: { type: 'integer' },
    accountName: { type: 'string' },
    role: { type: 'string', description: 'Built-in or custom role name.' },
    baseRole: { type: 'string', description: 'The built-in role it acts as.' },
    roleHierarchy: { type: 'array', items: { type: 'string' } },
    permissions: { type: 'array', items: { type: 'string' }, description: 'The actions this role may take.' },
  },
  required: [
    'userId',
    'email',
    'name',
    'accountId',
    'accountName',
    'role',
    'baseRole',
    'roleHierarchy',
    'permissions',
  ],
  example: {
    userId: 1,
    email: 'ada@acme.com',
    name: 'Ada',
    accountId: 1,
    accountName: 'Acme',
    role: 'ADMIN',
    baseRole: 'ADMIN',
    roleHierarchy: ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'],
    permissions: ['team:read', 'invitations:create', 'members:remove'],
  },
} as const

export const sessionsResponse = {
  type: 'object',
  properties: {
    sessions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          createdAt: { type: 'integer', description: 'Epoch milliseconds.' },
          lastSeenAt: { type: 'integer', description: 'Epoch milliseconds (updated at most once a minute).' },
          ip: { type: ['string', 'null'] },
          userAgent: { type: ['string', 'null'] },
          accountName: { type: 'string' },
          secondFactor: {
            type: 'boolean',
            description: 'The sign-in proved a second factor or used a passkey.',
          },
          current: { type: 'boolean', description: 'The session making this request.' },
        },
        required: [
          'id',
          'createdAt',
          'lastSeenAt',
          'ip',
          'userAgent',
          'accountName',
          'secondFactor',
          'current',
        ],
      },
    },
  },
  required: ['sessions'],
} as const

export const revokeSessionBody = {
  type: 'object',
  properties: { id: { type: 'integer' } },
  required: ['id'],
  example: { id: 12 },
} as const

export const revokeOthersResponse = {
  type: 'object',
  properties: { revoked: { type: 'integer' } },
  required: ['revoked'],
} as const
