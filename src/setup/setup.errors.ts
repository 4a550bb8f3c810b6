import { catalogue } from '../shared/app-error.ts'

export const setupError = catalogue({
  SETUP_DONE: 'Roster is already set up; sign in instead.',
})
