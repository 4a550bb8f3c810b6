import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { createRosterClient } from '../../clients/typescript/src/index.ts'
import { CLIENT_TYPES_PATH, clientTypes } from '../../scripts/client-types.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'

describe('the typed client (clients/typescript)', () => {
  let t: TestApp
  let origin: string

  before(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MAX: '0' } })
    origin = await t.server.listen({ port: 0, host: '127.0.0.1' })
  })
  after(() => t.close())

  it("matches the running server's /openapi.json (regenerate with `npm run client:generate`)", async () => {
    const res = await fetch(`${origin}/openapi.json`)
    const expected = await clientTypes(await res.json())
    assert.ok(expected.includes('"/api/listTeam"'))
    assert.equal(
      readFileSync(CLIENT_TYPES_PATH, 'utf8'),
      expected,
      'clients/typescript is stale: run `npm run client:generate`',
    )
  })

  it('lists a team and invites in bulk against a real server, with typed answers', async () => {
    const { adminKey } = await t.account('Typed', ['typed.io'], 'ada@typed.io')
    const roster = createRosterClient({ baseUrl: origin, apiKey: adminKey })
    const invited = await roster.POST('/api/inviteUsersBulk', {
      body: {
        invitations: [
          { inviteeEmail: 'bo@typed.io', inviteeRole: 'GUEST' },
          { inviteeEmail: 'x@else.io', inviteeRole: 'GUEST' },
        ],
      },
    })
    assert.deepEqual(
      invited.data?.results.map((r) => [r.inviteeEmail, r.ok]),
      [
        ['bo@typed.io', true],
        ['x@else.io', false],
      ],
    )
    const { data, error, response } = await roster.POST('/api/listTeam', {
      body: { kind: 'members', limit: 10 },
    })
    assert.equal(response.status, 200, JSON.stringify(error))
    assert.equal(data?.total, 1)
    assert.equal(data?.items[0]?.login, 'ada@typed.io')
    const refused = await roster.POST('/api/listTeam', { body: { cursor: 'forged' } })
    assert.equal(refused.response.status, 422)
    assert.equal(refused.error?.code, 'INVALID_CURSOR')
  })
})
