import { catalogue } from '../shared/app-error.ts'

/** Operator errors (CLI and first-run setup). */
export const accountError = catalogue({
  INVALID_ACCOUNT_NAME: 'Account name must be 1 to 200 characters.',
  INVALID_DOMAIN: 'Each domain must be a domain name such as acme.com.',
  NO_DOMAIN: 'An account needs at least one email domain.',
  INVALID_EMAIL: 'Invalid email',
  INVALID_NAME: 'Names must be 1 to 200 characters.',
  ADMIN_OUTSIDE_DOMAINS: "The admin's email must belong to one of the account's domains.",
  ACCOUNT_NOT_FOUND: "Account doesn't exist",
  USER_NOT_FOUND: "User doesn't exist",
  NOT_A_MEMBER: 'User is not a member of this account',
  ALREADY_MEMBER: 'User already exists',
  INVALID_ROLE: 'Invalid role',
  API_KEY_NOT_FOUND: "API key doesn't exist",
})
