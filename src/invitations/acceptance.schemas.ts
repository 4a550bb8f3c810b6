const ref = {
  signupInvitationCode: { type: 'string', description: 'The code from the invitation link.' },
  signupEmailId: { type: 'string', description: 'The email from the invitation link.' },
} as const

export const invitationRefBody = {
  type: 'object',
  properties: ref,
  example: { signupInvitationCode: 'eyJhbGciOiJIUzI1NiJ9...', signupEmailId: 'bob@acme.com' },
} as const

export const acceptBody = {
  type: 'object',
  properties: {
    ...ref,
    name: { type: 'string', description: 'A new user: their name (defaults to the invitation name).' },
    password: {
      type: 'string',
      description: 'A new user: the password to set; an existing user: their password.',
    },
  },
  example: {
    signupInvitationCode: 'eyJhbGciOiJIUzI1NiJ9...',
    signupEmailId: 'bob@acme.com',
    name: 'Bob',
    password: 'a long passphrase',
  },
} as const

export const invitationInfoResponse = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    accountName: { type: 'string' },
    inviterName: { type: 'string' },
    inviterEmail: { type: 'string' },
    role: { type: 'string' },
    expiresAt: { type: 'string', format: 'date-time' },
    userExists: { type: 'boolean', description: 'True when the invitee signs in with an existing password.' },
    ssoAvailable: {
      type: 'boolean',
      description:
        'True when the account has single sign-on: the invitation can be accepted through its IdP.',
    },
  },
  required: ['email', 'accountName', 'inviterName', 'inviterEmail', 'role', 'expiresAt', 'userExists'],
  example: {
    email: 'bob@acme.com',
    accountName: 'Acme',
    inviterName: 'Ada',
    inviterEmail: 'ada@acme.com',
    role: 'DEVELOPER',
    expiresAt: '2026-12-04T10:00:00.000Z',
    userExists: false,
  },
} as const

export const acceptResponse = {
  type: 'object',
  description:
    'The new membership; sets the roster_session cookie, signed in to that account. A user with two-factor on who joins with their password is not signed in: `signInRequired: true`, no cookie; they sign in with /api/login and their code.',
  properties: {
    accountId: { type: 'integer' },
    userId: { type: 'integer' },
    role: { type: 'string' },
    signInRequired: { type: 'boolean', enum: [true] },
  },
  required: ['accountId', 'userId', 'role'],
  example: { accountId: 1, userId: 7, role: 'DEVELOPER' },
} as const
