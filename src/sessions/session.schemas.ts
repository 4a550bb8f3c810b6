export const loginBody = {
  type: 'object',
  properties: { email: { type: 'string' }, password: { type: 'string' } },
  example: { email: 'ada@acme.com', password: 'correct horse battery staple' },
} as const

export const loginResponse = {
  type: 'object',
  description: 'The signed-in user, in their most recently used account. Sets the roster_session cookie.',
  properties: {
    userId: { type: 'integer' },
    email: { type: 'string' },
    name: { type: 'string' },
    accountId: { type: 'integer' },
    role: { type: 'string' },
  },
  required: ['userId', 'email', 'name', 'accountId', 'role'],
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
