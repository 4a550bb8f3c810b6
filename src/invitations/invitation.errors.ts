import { catalogue } from '../shared/app-error.ts'

/** Spec §4, in the order the checks run. */
export const invitationError = catalogue({
  INVALID_EMAIL: 'Invalid email',
  USER_EXISTS: 'User already exists',
  DOMAIN_NOT_ALLOWED: 'Email must belong to same organisation',
  INVALID_ROLE: 'Invalid role',
  ROLE_NOT_ALLOWED: 'User not allowed to invite for this role',
  INVALID_WEBSITE_HOST: 'Invalid websiteHostName',
})
