/** The options a browser is given to create a passkey: what the authenticator will show. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('POST /api/passkeyRegistrationOptions', () => {
  let t: TestApp

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    await t.account('Acme', ['acme.com'])
    await t.password('ada@acme.com', 'tangerine-octopus-41')
  })
  after(() => t.close())

  it('names the person by their email and shows their name beside it', async () => {
    const session = await t.login('ada@acme.com', 'tangerine-octopus-41')
    const res = await t.browser('/api/passkeyRegistrationOptions', session)
    assert.equal(res.statusCode, 200, res.body)
    const { user } = json(res)
    assert.deepEqual([user.name, user.displayName], ['ada@acme.com', 'Ada'])
  })
})
