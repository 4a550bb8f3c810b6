import { catalogue } from '../shared/app-error.ts'

export const sessionError = catalogue({
  // One message whatever went wrong, so a sign-in never tells whether an email is registered.
  INVALID_CREDENTIALS: 'Invalid email or password.',
  ACCOUNT_NOT_AVAILABLE: 'You are not a member of this account.',
  SESSION_REQUIRED: 'Only a signed-in session can switch accounts.',
  SESSION_NOT_FOUND: 'Session not found.',
  SESSION_ONLY: 'Only a signed-in session can do this; an API key cannot.',
})
