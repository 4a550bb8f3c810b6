import { catalogue } from '../shared/app-error.ts'

export const apiKeyError = catalogue({
  API_KEY_NOT_FOUND: "API key doesn't exist",
  INVALID_KEY_NAME: 'Key names must be 1 to 100 characters.',
})
