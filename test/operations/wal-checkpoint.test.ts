import { describe, it } from 'node:test'
import { testEngine } from '../helpers/database.ts'
import { expectInvitationsCheckpointed } from '../helpers/sqlite-file.ts'

// The bundle's thread is checked in test/webhooks/processes.test.ts ("the server bundle").
describe('WAL checkpoints in their own thread', () => {
  it(
    'copies committed invitations into the SQLite database file while the server runs',
    { skip: testEngine === 'postgres' ? 'SQLite only' : false },
    () => expectInvitationsCheckpointed({ bundle: false }),
  )
})
