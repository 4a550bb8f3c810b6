import { AppError, catalogue } from '../shared/app-error.ts'

export const customRoleError = catalogue({
  ROLE_NAME_EMPTY: 'Role names cannot be empty.',
  ROLE_NAME_TOO_LONG: 'Role names cannot be more than 50 characters.',
  ROLE_NAME_INVALID: "Role names can only be alphanumeric and contain '-'and '_'",
  ROLE_EXISTS: 'Role already exists.',
  ROLE_NOT_FOUND: "Role doesn't exist.",
  INVALID_BASE_ROLE: 'Invalid base role',
  ROLE_USED_BY_USERS: 'Role is associated with users. Cannot delete.',
  ROLE_USED_BY_INVITES: 'Role is associated with pending invites. Cannot delete.',
  // updateCustomRole answers with Akto's own words, which differ from the ones above.
  UPDATE_ROLE_NOT_FOUND: 'Role does not exist.',
  UPDATE_BASE_ROLE_NOT_FOUND: 'Base role does not exist',
})

export function reservedRoleName(name: string): AppError {
  return new AppError('ROLE_NAME_RESERVED', `${name} is a reserved keyword.`)
}
