const codeField = {
  type: 'string',
  maxLength: 64,
  description: 'The 6-digit code the authenticator app shows.',
} as const
const recoveryField = {
  type: 'string',
  maxLength: 64,
  description: 'One of the recovery codes (each works once).',
} as const

export const securityStatusResponse = {
  type: 'object',
  properties: {
    totpEnabled: { type: 'boolean' },
    recoveryCodesLeft: { type: 'integer' },
    requireMfa: { type: 'boolean', description: 'This account requires a second factor of every member.' },
    mfaEnrolmentRequired: {
      type: 'boolean',
      description: 'This session may do nothing but enrol until it has a second factor.',
    },
  },
  required: ['totpEnabled', 'recoveryCodesLeft', 'requireMfa', 'mfaEnrolmentRequired'],
} as const

export const startTotpResponse = {
  type: 'object',
  properties: {
    secret: { type: 'string', description: 'Base32, for typing into an app that cannot scan.' },
    otpauthUrl: { type: 'string' },
    qrCode: { type: 'string', description: 'The otpauth URL as a QR code: an SVG data: URL.' },
  },
  required: ['secret', 'otpauthUrl', 'qrCode'],
} as const

export const confirmTotpBody = {
  type: 'object',
  properties: { code: codeField },
  example: { code: '123456' },
} as const

export const recoveryCodesResponse = {
  type: 'object',
  properties: {
    recoveryCodes: { type: 'array', items: { type: 'string' }, description: 'Shown once; each works once.' },
  },
  required: ['recoveryCodes'],
} as const

export const secondFactorBody = {
  type: 'object',
  properties: { code: codeField, recoveryCode: recoveryField },
  example: { code: '123456' },
} as const

export const verifyMfaBody = {
  type: 'object',
  properties: { mfaToken: { type: 'string', maxLength: 100 }, code: codeField, recoveryCode: recoveryField },
  example: { mfaToken: 'Vx3…', code: '123456' },
} as const

export const accountPolicyBody = {
  type: 'object',
  properties: { requireMfa: { type: 'boolean' } },
  required: ['requireMfa'],
  example: { requireMfa: true },
} as const

export const accountPolicyResponse = {
  type: 'object',
  properties: { requireMfa: { type: 'boolean' } },
  required: ['requireMfa'],
} as const
