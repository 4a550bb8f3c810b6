export const setupStatusResponse = {
  type: 'object',
  properties: { needsSetup: { type: 'boolean', description: 'True while no account exists.' } },
  required: ['needsSetup'],
  example: { needsSetup: true },
} as const

export const setupBody = {
  type: 'object',
  properties: {
    accountName: { type: 'string' },
    domains: { type: 'array', items: { type: 'string' }, maxItems: 50 },
    name: { type: 'string', description: "The first ADMIN's name." },
    email: { type: 'string', description: "The first ADMIN's email, in one of the domains." },
    password: { type: 'string' },
  },
  example: {
    accountName: 'Acme',
    domains: ['acme.com'],
    name: 'Ada',
    email: 'ada@acme.com',
    password: 'a long passphrase',
  },
} as const

export const setupResponse = {
  type: 'object',
  description: 'The new account and its ADMIN; sets the roster_session cookie.',
  properties: {
    accountId: { type: 'integer' },
    userId: { type: 'integer' },
    email: { type: 'string' },
    role: { type: 'string' },
  },
  required: ['accountId', 'userId', 'email', 'role'],
  example: { accountId: 1, userId: 1, email: 'ada@acme.com', role: 'ADMIN' },
} as const
