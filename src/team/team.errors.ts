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
})
