import { catalogue } from '../shared/app-error.ts'

export const scimTokenError = catalogue({
  SCIM_TOKEN_NOT_FOUND: "SCIM token doesn't exist",
  INVALID_SCIM_TOKEN_NAME: 'A SCIM token name must be 1 to 100 characters.',
  INVALID_SCIM_DEFAULT_ROLE: 'Invalid role',
})
