import { catalogue } from '../shared/app-error.ts'
import { TOKEN_UTILITIES } from './token-utility.ts'

export const apiKeyError = catalogue({
  API_KEY_NOT_FOUND: "API key doesn't exist",
  INVALID_KEY_NAME: 'Key names must be 1 to 100 characters.',
  INVALID_TOKEN_UTILITY: `tokenUtility must be one of ${TOKEN_UTILITIES.join(', ')}.`,
})
