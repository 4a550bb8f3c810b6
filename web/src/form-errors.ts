import { ApiError, messageOf } from './api.ts'

/**
 * Which form field a server error code belongs to, so its message appears beside that field;
 * anything else is shown above the form.
 */
const FIELD_OF_CODE: Record<string, string> = {
  INVALID_EMAIL: 'email',
  USER_EXISTS: 'email',
  DOMAIN_NOT_ALLOWED: 'email',
  ADMIN_OUTSIDE_DOMAINS: 'email',
  INVITATION_WRONG_USER: 'email',
  INVALID_ROLE: 'role',
  ROLE_NOT_ALLOWED: 'role',
  INVALID_USER_ROLE: 'role',
  ROLE_NOT_MODIFIABLE: 'role',
  INVALID_BASE_ROLE: 'baseRole',
  WEAK_PASSWORD: 'password',
  WRONG_PASSWORD: 'password',
  CURRENT_PASSWORD_WRONG: 'currentPassword',
  INVALID_NAME: 'name',
  INVALID_ACCOUNT_NAME: 'accountName',
  INVALID_DOMAIN: 'domains',
  NO_DOMAIN: 'domains',
  ROLE_NAME_EMPTY: 'roleName',
  ROLE_NAME_TOO_LONG: 'roleName',
  ROLE_NAME_INVALID: 'roleName',
  ROLE_NAME_RESERVED: 'roleName',
  ROLE_EXISTS: 'roleName',
  INVALID_KEY_NAME: 'keyName',
}

export type FormErrors = Record<string, string>

/** `{ field: message }`, or `{ form: message }` when the error names no field. */
export function formErrors(error: unknown): FormErrors {
  const field = error instanceof ApiError ? FIELD_OF_CODE[error.code] : undefined
  return { [field ?? 'form']: messageOf(error) }
}
