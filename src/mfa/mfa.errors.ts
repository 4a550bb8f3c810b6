import { catalogue } from '../shared/app-error.ts'

export const mfaError = catalogue({
  MFA_ENROLMENT_REQUIRED:
    'This account requires two-factor authentication: set it up on the Security page first.',
  INVALID_MFA_CODE: 'The code is not valid.',
  MFA_TOKEN_INVALID: 'This sign-in step has expired or had too many tries; sign in again.',
  TOTP_ALREADY_ENABLED: 'Two-factor authentication is already on.',
  TOTP_NOT_STARTED: 'Start setting up two-factor authentication first.',
  TOTP_NOT_ENABLED: 'Two-factor authentication is not on.',
  MFA_REQUIRED_BY_ACCOUNT:
    'Your account requires two-factor authentication: add a passkey before turning it off.',
})
