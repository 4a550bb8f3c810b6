import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { json, startTestApp } from '../helpers/app.ts'
import { createTestDatabase, testEngine } from '../helpers/database.ts'

describe('storage', () => {
  it('keeps API keys only as hashes: the key never appears in the database', async (ctx) => {
    if (testEngine !== 'sqlite') return ctx.skip('reads the SQLite file')
    const t = await startTestApp()
    const { adminKey } = await t.account()
    await t.close({ keepDatabase: true })
    const dir = dirname(t.testDb.url)
    const bytes = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('')
    assert.ok(bytes.length > 0)
    assert.ok(!bytes.includes(adminKey), 'the key is stored in plain text')
    assert.ok(!bytes.includes(adminKey.slice(12)), 'part of the key is stored in plain text')
    await t.testDb.drop()
  })

  it('keeps everything across a restart: members, invitations, roles and keys', async () => {
    const testDb = await createTestDatabase()
    const first = await startTestApp({ testDb })
    const { accountId, adminKey } = await first.account()
    await first.member(accountId, 'bob@acme.com', 'DEVELOPER')
    await first.post('/api/createCustomRole', adminKey, { roleName: 'qa', baseRole: 'GUEST' })
    const invite = json(await first.post('/api/inviteUsers', adminKey, { inviteeEmail: 'inv@acme.com', inviteeRole: 'qa' }))
    const teamBefore = json(await first.post('/api/getTeamData', adminKey))
    await first.close({ keepDatabase: true })

    const second = await startTestApp({ testDb })
    assert.deepEqual(json(await second.post('/api/getTeamData', adminKey)), teamBefore)
    assert.deepEqual(json(await second.post('/api/getCustomRoles', adminKey)).roles[0].name, 'QA')
    assert.ok(invite.finalInviteCode.includes('signupInvitationCode='))
    await second.close()
  })
})
