import { catalogue } from '../shared/app-error.ts'

export const passkeyError = catalogue({
  // Unknown passkey, wrong origin, bad signature, counter gone backwards (a clone): one answer.
  PASSKEY_SIGN_IN_FAILED: 'This passkey could not sign you in.',
  PASSKEY_REGISTRATION_FAILED: 'The passkey could not be registered; try again.',
  PASSKEY_NOT_FOUND: 'Passkey not found.',
  INVALID_PASSKEY_NAME: 'A passkey name has 1 to 100 characters.',
  LAST_SECOND_FACTOR:
    'Your account requires two-factor authentication: set up an authenticator app before removing your last passkey.',
})
