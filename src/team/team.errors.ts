import { catalogue } from '../shared/app-error.ts'

export const teamError = catalogue({
  USER_NOT_FOUND: "User doesn't exist",
  SELF_ACTION: 'You cannot perform this action on yourself',
  ROLE_NOT_MODIFIABLE: "User doesn't have access to modify this role.",
  INVALID_USER_ROLE: 'Invalid user role',
  LAST_ADMIN: 'The account must keep at least one ADMIN.',
  INVALID_EMAIL: 'Invalid email',
  /** listTeam: a cursor that was not signed here, or belongs to another query. */
  INVALID_CURSOR: 'Invalid cursor',
  EMAIL_OUTSIDE_DOMAINS: "The email must belong to one of the account's domains.",
  ALREADY_MEMBER: 'A member with this email already exists in the account.',
  VERSION_MISMATCH: 'The member changed since that version was read.',
  INVALID_NAME: 'Names must be at most 200 characters.',
})
