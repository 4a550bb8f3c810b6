import { catalogue } from '../shared/app-error.ts'

export const passwordResetError = catalogue({
  // Expired, used, replaced or forged: one answer, which tells an attacker nothing.
  INVALID_RESET_LINK: 'This link is invalid or has expired.',
  CURRENT_PASSWORD_WRONG: 'The current password is not correct.',
})
