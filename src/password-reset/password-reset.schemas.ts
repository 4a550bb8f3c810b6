export const requestResetBody = {
  type: 'object',
  // Any value: whatever is sent, the answer is the same `{}` (account-security.md), so a type or
  // a length is not checked here; what is no registered email sends nothing.
  properties: { email: { description: 'The email to send a link to (any value is answered alike)' } },
  example: { email: 'ada@acme.com' },
} as const

export const resetPasswordBody = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 200 }, password: { type: 'string', maxLength: 1000 } },
  example: { token: 'Vx3…', password: 'a new long passphrase' },
} as const

export const changePasswordBody = {
  type: 'object',
  properties: {
    currentPassword: { type: 'string', maxLength: 1000 },
    newPassword: { type: 'string', maxLength: 1000 },
  },
  example: { currentPassword: 'the old one', newPassword: 'a new long passphrase' },
} as const

export const changePasswordResponse = {
  type: 'object',
  properties: { sessionsEnded: { type: 'integer', description: 'Your other sessions, now ended.' } },
  required: ['sessionsEnded'],
} as const
