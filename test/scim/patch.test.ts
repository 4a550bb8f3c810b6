import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { ERROR, PATCH, USER, scimClient, scimToken, type Scim } from './helpers.ts'

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

  it('refuses a path with a broken value filter with invalidFilter, and changes nothing', async () => {
    const id = await create('p2@acme.com')
    const version = async () => (await scim('GET', `/Users/${id}`)).json.meta.version as string
    const before = await version()
    const replace = (path: string) => ({ op: 'replace', path, value: 'p2@acme.com' })
    const refused = await patch(id, replace('emails[type eq'), {
      op: 'replace',
      path: 'displayName',
      value: 'X',
    })
    assert.equal(refused.statusCode, 400, refused.body)
    assert.deepEqual(refused.json.schemas, [ERROR])
    assert.equal(refused.json.scimType, 'invalidFilter')
    assert.equal(await version(), before)
    assert.equal((await scim('GET', `/Users/${id}`)).json.displayName, 'Olga Kay')
    const accepted = await patch(id, replace('emails[type eq "work"].value'))
    assert.equal(accepted.statusCode, 200, accepted.body)
  })

  it('keeps meta.version when a PATCH changes nothing, and moves it when one does', async () => {
    const id = await create('p3@acme.com')
    const before = (await scim('GET', `/Users/${id}`)).json.meta.version
    const same = await patch(id, { op: 'replace', path: 'name.givenName', value: 'Olga' })
    assert.equal(same.statusCode, 200, same.body)
    assert.equal(same.json.meta.version, before)
    const changed = await patch(id, { op: 'replace', path: 'name.givenName', value: 'Olive' })
    assert.notEqual(changed.json.meta.version, before)
  })
})
