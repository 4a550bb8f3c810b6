// The last-ADMIN guard (src/team/team.rules.ts assertKeepsAnAdmin, and the custom-role base
// change in src/roles/custom-role.service.ts): every door that can take away an account's last
// active ADMIN, each refusal next to a control that differs by one property. SCIM reaches the
// member guard directly (it acts for no member); through /api an ADMIN cannot act on themselves,
// and a concurrent demotion is refused by the actor re-check before the guard.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { ERROR, PATCH, scimClient, scimToken, type Scim } from '../scim/helpers.ts'

const LAST_ADMIN = 'The account must keep at least one ADMIN.'
const SCIM_LAST_ADMIN = 'The account must keep at least one active ADMIN; this change would leave it without one.'
const AKTO_EXTRAS = { apiCollectionIds: [0], allowedFeaturesForUser: ['API_COLLECTIONS'] }

describe('the last ADMIN', () => {
  let t: TestApp
  before(async () => {
    t = await startTestApp()
  })
  after(() => t.close())

  /** A fresh account whose only ADMIN is ada, with a SCIM client. */
  async function account(name: string) {
    const domain = `${name.toLowerCase()}.com`
    const { accountId, adminKey, userId } = await t.account(name, [domain])
    const scim = scimClient(t, await scimToken(t, accountId))
    return { accountId, adminKey, ada: String(userId), domain, scim }
  }
  const active = (value: boolean) => ({
    schemas: [PATCH],
    Operations: [{ op: 'replace', path: 'active', value }],
  })
  const leaveAdmins = (id: string) => ({
    schemas: [PATCH],
    Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }],
  })
  function assertLastAdmin(res: { statusCode: number; json: any }) {
    assert.equal(res.statusCode, 409, JSON.stringify(res.json))
    assert.deepEqual(res.json, { schemas: [ERROR], status: '409', detail: SCIM_LAST_ADMIN })
  }
  const admins = async (scim: Scim) =>
    (await scim('GET', '/Groups/ADMIN')).json.members?.map((m: { value: string }) => m.value) ?? []

  it('refuses over SCIM to suspend, demote or delete the only active ADMIN; with a second ADMIN each passes', async () => {
    const { accountId, ada, scim } = await account('Solo')
    // Only an ADMIN is kept: beside the only ADMIN, a MEMBER may be suspended and deleted.
    const { userId: mia } = await t.member(accountId, 'mia@solo.com', 'MEMBER')
    assert.equal((await scim('PATCH', `/Users/${mia}`, active(false))).statusCode, 200)
    assert.equal((await scim('DELETE', `/Users/${mia}`)).statusCode, 204)
    assertLastAdmin(await scim('PATCH', `/Users/${ada}`, active(false)))
    assertLastAdmin(await scim('PATCH', '/Groups/ADMIN', leaveAdmins(ada)))
    assertLastAdmin(await scim('DELETE', `/Users/${ada}`))
    // Keeping the ADMIN an ADMIN is no loss, even for the only one.
    assert.equal((await scim('PATCH', `/Users/${ada}`, active(true))).statusCode, 200)
    assert.deepEqual(await admins(scim), [ada])

    // The controls: the same three changes, with one more active ADMIN in the account.
    const { userId: root } = await t.member(accountId, 'root@solo.com', 'ADMIN')
    assert.equal((await scim('PATCH', `/Users/${ada}`, active(false))).statusCode, 200)
    assert.equal((await scim('PATCH', `/Users/${ada}`, active(true))).statusCode, 200)
    assert.equal((await scim('PATCH', '/Groups/ADMIN', leaveAdmins(ada))).statusCode, 204)
    assert.deepEqual(await admins(scim), [String(root)])
    const { userId: third } = await t.member(accountId, 'third@solo.com', 'ADMIN')
    assert.equal((await scim('DELETE', `/Users/${third}`)).statusCode, 204)
    assert.deepEqual(await admins(scim), [String(root)])
  })

  it('lets a suspended ADMIN go: only active ADMINs keep the account administered', async () => {
    const { accountId, ada, scim } = await account('Paused')
    const { userId: root } = await t.member(accountId, 'root@paused.com', 'ADMIN')
    assert.equal((await scim('PATCH', `/Users/${root}`, active(false))).statusCode, 200)
    // Ada is the only active ADMIN: she stays; the suspended root may be demoted and deleted.
    assertLastAdmin(await scim('PATCH', `/Users/${ada}`, active(false)))
    assert.equal((await scim('PATCH', '/Groups/ADMIN', leaveAdmins(String(root)))).statusCode, 204)
    assert.equal((await scim('DELETE', `/Users/${root}`)).statusCode, 204)
    assert.deepEqual(await admins(scim), [ada])
  })

  it('refuses a custom role change that would leave no ADMIN; with a second ADMIN it passes', async () => {
    const { accountId, adminKey } = await account('Boss')
    const create = await t.post('/api/createCustomRole', adminKey, { roleName: 'BOSS', baseRole: 'ADMIN' })
    assert.equal(create.statusCode, 200)
    const { key: leeKey } = await t.member(accountId, 'lee@boss.com', 'BOSS')
    // Lee, through BOSS, makes himself the only ADMIN.
    const demote = await t.post('/api/makeAdmin', leeKey, { email: 'ada@boss.com', userRole: 'MEMBER' })
    assert.equal(demote.statusCode, 200)
    const change = { roleName: 'BOSS', baseRole: 'MEMBER', ...AKTO_EXTRAS }
    const refused = await t.post('/api/updateCustomRole', leeKey, change)
    assert.equal(refused.statusCode, 422)
    assert.deepEqual(json(refused), { actionErrors: [LAST_ADMIN], code: 'LAST_ADMIN' })
    // The control: with Ada an ADMIN again, the same change passes.
    const promote = await t.post('/api/makeAdmin', leeKey, { email: 'ada@boss.com', userRole: 'ADMIN' })
    assert.equal(promote.statusCode, 200)
    assert.equal((await t.post('/api/updateCustomRole', leeKey, change)).statusCode, 200)
  })

  it('lets a custom role change pass beside the only ADMIN when it takes ADMIN from no one', async () => {
    const { accountId, adminKey } = await account('Keep')
    for (const [roleName, baseRole] of [
      ['AUDITOR', 'GUEST'],
      ['BOSS', 'ADMIN'],
    ])
      assert.equal((await t.post('/api/createCustomRole', adminKey, { roleName, baseRole })).statusCode, 200)
    await t.member(accountId, 'gus@keep.com', 'AUDITOR')
    const { key: leeKey } = await t.member(accountId, 'lee@keep.com', 'BOSS')
    const demote = await t.post('/api/makeAdmin', leeKey, { email: 'ada@keep.com', userRole: 'MEMBER' })
    assert.equal(demote.statusCode, 200)
    // Lee, through BOSS, is the only ADMIN. A role below ADMIN may change its base...
    const auditor = { roleName: 'AUDITOR', baseRole: 'MEMBER', ...AKTO_EXTRAS }
    assert.equal((await t.post('/api/updateCustomRole', leeKey, auditor)).statusCode, 200)
    // ...and BOSS may change while it stays ADMIN.
    const boss = { roleName: 'BOSS', baseRole: 'ADMIN', defaultInviteRole: false, ...AKTO_EXTRAS }
    assert.equal((await t.post('/api/updateCustomRole', leeKey, boss)).statusCode, 200)
  })

  it('counts only the active holders of an ADMIN-based role as ADMINs lost by its change', async () => {
    const { accountId, adminKey, scim } = await account('Held')
    const create = await t.post('/api/createCustomRole', adminKey, { roleName: 'BOSS', baseRole: 'ADMIN' })
    assert.equal(create.statusCode, 200)
    await t.member(accountId, 'lee@held.com', 'BOSS')
    const { userId: sue } = await t.member(accountId, 'sue@held.com', 'BOSS')
    assert.equal((await scim('PATCH', `/Users/${sue}`, active(false))).statusCode, 200)
    // Ada stays an ADMIN; BOSS takes ADMIN from Lee only (Sue is suspended), so one remains.
    const change = { roleName: 'BOSS', baseRole: 'MEMBER', ...AKTO_EXTRAS }
    assert.equal((await t.post('/api/updateCustomRole', adminKey, change)).statusCode, 200)
  })

  it('lets exactly one of two ADMINs demoting each other at once win; the other is no longer an ADMIN', async () => {
    const { accountId, adminKey, scim } = await account('Race')
    const root = await t.member(accountId, 'root@race.com', 'ADMIN')
    const [a, b] = await Promise.all([
      t.post('/api/makeAdmin', adminKey, { email: 'root@race.com', userRole: 'MEMBER' }),
      t.post('/api/makeAdmin', root.key, { email: 'ada@race.com', userRole: 'MEMBER' }),
    ])
    const [won, lost] = a.statusCode === 200 ? [a, b] : [b, a]
    assert.equal(won.statusCode, 200, won.body)
    // The loser's request reads its actor again under the account lock: demoted, it may not.
    assert.equal(lost.statusCode, 403, lost.body)
    assert.deepEqual(json(lost), {
      actionErrors: ["The role 'MEMBER' does not have access."],
      code: 'FORBIDDEN_ROLE',
    })
    assert.equal((await admins(scim)).length, 1)
  })
})
