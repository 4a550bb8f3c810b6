import { AppError, catalogue } from '../shared/app-error.ts'

export const customRoleError = catalogue({
  ROLE_NAME_EMPTY: 'Role names cannot be empty.',
  ROLE_NAME_TOO_LONG: 'Role names cannot be more than 50 characters.',
  ROLE_NAME_INVALID: "Role names can only be alphanumeric and contain '-'and '_'",
  ROLE_EXISTS: 'Role already exists.',
  // One message per fault whichever call meets it; these two are the spec's (§8).
  ROLE_NOT_FOUND: 'Role does not exist.',
  INVALID_BASE_ROLE: 'Base role does not exist',
  ROLE_USED_BY_USERS: 'Role is associated with users. Cannot delete.',
  ROLE_USED_BY_INVITES: 'Role is associated with pending invites. Cannot delete.',
})

export function reservedRoleName(name: string): AppError {
  return new AppError('ROLE_NAME_RESERVED', `${name} is a reserved keyword.`)
}
