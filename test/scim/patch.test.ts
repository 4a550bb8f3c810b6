import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { PATCH, USER, scimClient, scimToken, type Scim } from './helpers.ts'

// PATCH as RFC 7644 §3.5.2 defines it, beyond what Okta and Entra happen to send.
describe('SCIM PATCH semantics', () => {
  let t: TestApp
  let scim: Scim
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId } = await t.account('Acme', ['acme.com']))
    scim = scimClient(t, await scimToken(t, accountId))
  })
  after(() => t.close())

  async function create(email: string) {
    const res = await scim('POST', '/Users', {
      schemas: [USER],
      userName: email,
      name: { givenName: 'Olga', familyName: 'Kay' },
    })
    assert.equal(res.statusCode, 201, res.body)
    return res.json.id as string
  }
  const patch = (id: string, ...ops: unknown[]) =>
    scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: ops })

  it('keeps the sub-attributes a replace of name does not name, with and without a path', async () => {
    const id = await create('p1@acme.com')
    const pathless = await patch(id, { op: 'replace', value: { name: { givenName: 'Okie' } } })
    assert.equal(pathless.statusCode, 200, pathless.body)
    assert.deepEqual(pathless.json.name, { givenName: 'Okie', familyName: 'Kay', formatted: 'Okie Kay' })
    const withPath = await patch(id, { op: 'replace', path: 'name', value: { givenName: 'Only' } })
    assert.equal(withPath.statusCode, 200, withPath.body)
    assert.deepEqual(withPath.json.name, { givenName: 'Only', familyName: 'Kay', formatted: 'Only Kay' })
    assert.deepEqual((await scim('GET', `/Users/${id}`)).json.name, withPath.json.name)
  })
})
