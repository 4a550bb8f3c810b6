import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { scimClient, scimToken, type Scim } from './helpers.ts'

// Groups are the account's roles: found by displayName as /Schemas declares it.
describe('SCIM Groups as roles', () => {
  let t: TestApp
  let scim: Scim
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId } = await t.account('Acme', ['acme.com']))
    scim = scimClient(t, await scimToken(t, accountId))
  })
  after(() => t.close())

  const ids = async (filter: string) =>
    (await scim('GET', `/Groups?filter=${encodeURIComponent(filter)}`)).json.Resources.map(
      (g: { id: string }) => g.id,
    )

  it('finds a group by displayName eq in any case, as its caseExact: false says, but by id exactly', async () => {
    assert.deepEqual(await ids('displayName eq "DEVELOPER"'), ['DEVELOPER'])
    assert.deepEqual(await ids('displayName eq "developer"'), ['DEVELOPER'])
    assert.deepEqual(await ids('id eq "DEVELOPER"'), ['DEVELOPER'])
    assert.deepEqual(await ids('id eq "developer"'), [])
  })
})
