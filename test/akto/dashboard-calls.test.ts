/**
 * Replays, call by call, what Akto's dashboard sends from its Users, Roles and Audit-log pages and
 * its header (akto-compat.md §8) with a session cookie as the dashboard has, and checks the shapes
 * those pages read, Akto's messages and the permission rules. Its SSO pages are replayed in
 * dashboard-sso-calls.test.ts; the reset link in a browser in reset-user-password-browser.test.ts.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { lastSignInQuery } from '../../src/audit/audit.repository.ts'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { testEngine } from '../helpers/database.ts'

const PASSWORD = 'tangerine-octopus-41'
// The extra fields Akto's Roles page sends; Roster has no per-collection grants and ignores them.
const roleNamed = (
  body: { roles: { name: string; baseRole: string; defaultInviteRole: boolean }[] },
  name: string,
) => body.roles.find((r) => r.name === name)!
const AKTO_EXTRAS = { apiCollectionIds: [0, 1_111_111_111], allowedFeaturesForUser: ['API_COLLECTIONS'] }

describe("Akto's dashboard: Roles page (updateCustomRole)", () => {
  let t: TestApp
  let ada: string
  let bobKey: string

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    const { accountId, adminKey } = await t.account('Acme', ['acme.com'])
    for (const [roleName, baseRole] of [
      ['QA', 'GUEST'],
      ['BOSS', 'ADMIN'],
    ]) {
      assert.equal((await t.post('/api/createCustomRole', adminKey, { roleName, baseRole })).statusCode, 200)
    }
    bobKey = (await t.member(accountId, 'bob@acme.com', 'QA', 'Bob')).key
    await t.member(accountId, 'mia@acme.com', 'MEMBER', 'Mia')
    await t.password('ada@acme.com', PASSWORD)
    await t.password('mia@acme.com', PASSWORD)
    ada = await t.login('ada@acme.com', PASSWORD)
  })
  after(() => t.close())

  it('changes the base role; a member holding it acts with the new role on their very next request', async () => {
    const invite = { inviteeEmail: 'new@acme.com', inviteeRole: 'GUEST' }
    const refused = await t.post('/api/inviteUsers', bobKey, invite)
    assert.equal(refused.statusCode, 403)
    assert.equal(json(refused).code, 'FORBIDDEN_ROLE')

    const res = await t.browser('/api/updateCustomRole', ada, {
      roleName: 'QA',
      baseRole: 'MEMBER',
      defaultInviteRole: true,
      ...AKTO_EXTRAS,
    })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json(res), {
      roles: [
        { name: 'BOSS', baseRole: 'ADMIN', defaultInviteRole: false },
        { name: 'QA', baseRole: 'MEMBER', defaultInviteRole: true },
      ],
    })
    assert.equal((await t.post('/api/inviteUsers', bobKey, invite)).statusCode, 200)
    assert.deepEqual(json(await t.post('/api/getRoleHierarchy', bobKey)), ['MEMBER', 'DEVELOPER', 'GUEST'])
  })

  it('keeps the default-invite flag when the body leaves it out, and can move it to another role', async () => {
    const kept = await t.browser('/api/updateCustomRole', ada, { roleName: 'qa', baseRole: 'DEVELOPER' })
    assert.equal(kept.statusCode, 200)
    assert.deepEqual(roleNamed(json(kept), 'QA'), {
      name: 'QA',
      baseRole: 'DEVELOPER',
      defaultInviteRole: true,
    })
    const moved = await t.browser('/api/updateCustomRole', ada, {
      roleName: 'BOSS',
      baseRole: 'ADMIN',
      defaultInviteRole: true,
    })
    assert.equal(roleNamed(json(moved), 'BOSS').defaultInviteRole, true)
    assert.equal(roleNamed(json(moved), 'QA').defaultInviteRole, false)
  })

  it("answers an unknown role or base role with Akto's messages, changing nothing", async () => {
    const unknownRole = await t.browser('/api/updateCustomRole', ada, {
      roleName: 'NOPE',
      baseRole: 'MEMBER',
      ...AKTO_EXTRAS,
    })
    assert.equal(unknownRole.statusCode, 422)
    assert.deepEqual(json(unknownRole), {
      actionErrors: ['Role does not exist.'],
      code: 'ROLE_NOT_FOUND',
    })
    const unknownBase = await t.browser('/api/updateCustomRole', ada, {
      roleName: 'QA',
      baseRole: 'OWNER',
      ...AKTO_EXTRAS,
    })
    assert.equal(unknownBase.statusCode, 422)
    assert.deepEqual(json(unknownBase), {
      actionErrors: ['Base role does not exist'],
      code: 'INVALID_BASE_ROLE',
    })
    assert.deepEqual(roleNamed(json(await t.browser('/api/getCustomRoles', ada)), 'QA'), {
      name: 'QA',
      baseRole: 'DEVELOPER',
      defaultInviteRole: false,
    })
  })

  /**
   * The members named hold BOSS (base ADMIN) and are the account's only ADMINs: demoting BOSS is
   * refused; the control, with Kim an ADMIN again outside the role, passes.
   */
  async function demoteTheOnlyAdminsRole(domain: string, holders: string[], baseRole: string) {
    const { accountId, adminKey: kimKey } = await t.account(domain, [domain], `kim@${domain}`)
    assert.equal(
      (await t.post('/api/createCustomRole', kimKey, { roleName: 'BOSS', baseRole: 'ADMIN' })).statusCode,
      200,
    )
    const keys: string[] = []
    for (const name of holders) keys.push((await t.member(accountId, `${name}@${domain}`, 'BOSS')).key)
    const holderKey = keys[0]!
    const makeKim = async (userRole: string) =>
      assert.equal(
        (await t.post('/api/makeAdmin', holderKey, { email: `kim@${domain}`, userRole })).statusCode,
        200,
      )
    await makeKim('MEMBER')
    const demote = { roleName: 'BOSS', baseRole, ...AKTO_EXTRAS }
    const res = await t.post('/api/updateCustomRole', holderKey, demote)
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), {
      actionErrors: ['The account must keep at least one ADMIN.'],
      code: 'LAST_ADMIN',
    })
    assert.equal(roleNamed(json(await t.post('/api/getCustomRoles', holderKey)), 'BOSS').baseRole, 'ADMIN')
    await makeKim('ADMIN')
    const passed = await t.post('/api/updateCustomRole', holderKey, demote)
    assert.equal(passed.statusCode, 200, passed.body)
    assert.equal(roleNamed(json(passed), 'BOSS').baseRole, baseRole)
  }

  it('never leaves the account without an ADMIN', () => demoteTheOnlyAdminsRole('solo.io', ['lee'], 'MEMBER'))

  // Each holder alone would not be the last ADMIN: the guard counts every holder the change demotes.
  it('refuses demoting the base role of a custom role held by all the ADMINs at once', () =>
    demoteTheOnlyAdminsRole('duo.io', ['lee', 'max'], 'DEVELOPER'))

  // QA acts as DEVELOPER here (the test above moved its base role): the message names the base role.
  it("refuses a role below ADMIN with Akto's 403 shape, naming its base role", async () => {
    const res = await t.post('/api/updateCustomRole', bobKey, {
      roleName: 'QA',
      baseRole: 'ADMIN',
      ...AKTO_EXTRAS,
    })
    assert.equal(res.statusCode, 403)
    assert.deepEqual(json(res), {
      actionErrors: ["The role 'DEVELOPER' does not have access."],
      code: 'FORBIDDEN_ROLE',
    })
  })
})

describe("Akto's dashboard: Audit-log page and header (fetchApiAuditLogsFromDb, fetchUserLastLoginTs)", () => {
  let t: TestApp
  let ada: string
  let mia: string
  let start: number

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    start = Math.floor(t.clock() / 1000)
    const { accountId, adminKey } = await t.account('Acme', ['acme.com'])
    await t.member(accountId, 'mia@acme.com', 'MEMBER', 'Mia')
    await t.password('ada@acme.com', PASSWORD)
    await t.password('mia@acme.com', PASSWORD)
    t.clock.advance(10_000)
    ada = await t.login('ada@acme.com', PASSWORD)
    t.clock.advance(10_000)
    assert.equal(
      (await t.browser('/api/inviteUsers', ada, { inviteeEmail: 'bob@acme.com', inviteeRole: 'DEVELOPER' }))
        .statusCode,
      200,
    )
    t.clock.advance(10_000)
    assert.equal(
      (await t.post('/api/createCustomRole', adminKey, { roleName: 'QA', baseRole: 'GUEST' })).statusCode,
      200,
    )
    t.clock.advance(10_000)
    mia = await t.login('mia@acme.com', PASSWORD)
  })
  after(() => t.close())

  const query = (extra: Record<string, number>) => ({
    skip: 0,
    limit: 50,
    sortOrder: -1,
    startTimestamp: start,
    endTimestamp: start + 3600,
    ...extra,
  })

  it('lists the events of a time range newest first, in the fields the page reads', async () => {
    const res = await t.browser('/api/fetchApiAuditLogsFromDb', ada, query({}))
    assert.equal(res.statusCode, 200)
    const body = json(res)
    assert.deepEqual(Object.keys(body).sort(), ['apiAuditLogs', 'totalAuditLogs'])
    assert.equal(body.totalAuditLogs, body.apiAuditLogs.length)
    const invite = body.apiAuditLogs.find(
      (e: { apiEndpoint: string }) => e.apiEndpoint === '/api/inviteUsers',
    )
    assert.deepEqual(Object.keys(invite).sort(), [
      'actionDescription',
      'apiEndpoint',
      'timestamp',
      'userAgent',
      'userEmail',
      'userIpAddress',
    ])
    assert.equal(invite.actionDescription, 'Invited bob@acme.com as DEVELOPER')
    assert.equal(invite.userEmail, 'ada@acme.com')
    assert.equal(invite.timestamp, start + 20)
    const times = body.apiAuditLogs.map((e: { timestamp: number }) => e.timestamp)
    assert.deepEqual(
      times,
      [...times].sort((a: number, b: number) => b - a),
    )
    assert.equal(body.apiAuditLogs[0].apiEndpoint, '/api/login')
  })

  it('honours sortOrder 1, skip and limit, and limit -1 for all', async () => {
    const all = json(await t.browser('/api/fetchApiAuditLogsFromDb', ada, query({ limit: -1, sortOrder: 1 })))
    const times = all.apiAuditLogs.map((e: { timestamp: number }) => e.timestamp)
    assert.deepEqual(
      times,
      [...times].sort((a: number, b: number) => a - b),
    )
    const page = json(
      await t.browser('/api/fetchApiAuditLogsFromDb', ada, query({ skip: 1, limit: 2, sortOrder: 1 })),
    )
    assert.deepEqual(page.apiAuditLogs, all.apiAuditLogs.slice(1, 3))
    assert.equal(page.totalAuditLogs, all.totalAuditLogs)
  })

  it('takes the range as [start, end) in epoch seconds', async () => {
    const res = json(
      await t.browser(
        '/api/fetchApiAuditLogsFromDb',
        ada,
        query({ startTimestamp: start + 20, endTimestamp: start + 30 }),
      ),
    )
    assert.deepEqual(
      res.apiAuditLogs.map((e: { apiEndpoint: string }) => e.apiEndpoint),
      ['/api/inviteUsers'],
    )
    assert.equal(res.totalAuditLogs, 1)
  })

  it("refuses a MEMBER with Akto's audit-log message", async () => {
    const res = await t.browser('/api/fetchApiAuditLogsFromDb', mia, query({}))
    assert.equal(res.statusCode, 403)
    assert.deepEqual(json(res), {
      actionErrors: ['You do not have access to the audit logs.'],
      code: 'AUDIT_FORBIDDEN',
    })
  })

  it('answers a malformed query with a clear 422 naming the field, never a 500', async () => {
    const res = await t.browser('/api/fetchApiAuditLogsFromDb', ada, query({ sortOrder: 0 }))
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), {
      actionErrors: ['Invalid request: sortOrder must be equal to one of the allowed values.'],
      code: 'INVALID_REQUEST',
    })
  })

  it("answers the caller's last sign-in in epoch seconds, and 0 for someone who never signed in", async () => {
    const res = await t.browser('/api/fetchUserLastLoginTs', mia, {})
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json(res), { lastLoginTs: start + 40 })
    assert.deepEqual(json(await t.browser('/api/fetchUserLastLoginTs', ada, {})), { lastLoginTs: start + 10 })
    const { accountId } = await t.account('Other', ['other.io'], 'kim@other.io')
    const { key } = await t.member(accountId, 'lee@other.io', 'GUEST')
    assert.deepEqual(json(await t.post('/api/fetchUserLastLoginTs', key, {})), { lastLoginTs: 0 })
  })

  it('reads the last sign-in from the index of sign-in events, not from every event', async () => {
    const query = lastSignInQuery(t.database.db, 1).compile()
    const plan = await t.database.db.transaction().execute(async (trx) => {
      // PostgreSQL would scan a table this small: asked not to, it shows the index it can use.
      if (testEngine === 'postgres') await sql`set local enable_seqscan = off`.execute(trx)
      const explain = testEngine === 'postgres' ? 'explain ' : 'explain query plan '
      const result = await trx.executeQuery({ ...query, sql: explain + query.sql })
      return result.rows.map((r) => Object.values(r as object).join(' ')).join('\n')
    })
    assert.match(plan, /audit_events_sign_in_idx/, plan)
  })
})

describe("Akto's dashboard: Users page (resetUserPassword)", () => {
  let t: TestApp
  let ada: string
  let mia: string
  let accountId: number

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000', ALLOWED_ORIGINS: 'https://app.acme.com' } })
    ;({ accountId } = await t.account('Acme', ['acme.com']))
    await t.member(accountId, 'bob@acme.com', 'DEVELOPER', 'Bob')
    await t.member(accountId, 'mia@acme.com', 'MEMBER', 'Mia')
    await t.password('ada@acme.com', PASSWORD)
    await t.password('mia@acme.com', PASSWORD)
    ada = await t.login('ada@acme.com', PASSWORD)
    mia = await t.login('mia@acme.com', PASSWORD)
  })
  after(() => t.close())

  it('answers the removeUser shape with a single-use link, and the audit log says who reset whom', async () => {
    const res = await t.browser('/api/resetUserPassword', ada, { userEmail: 'bob@acme.com' })
    assert.equal(res.statusCode, 200)
    const body = json(res)
    assert.deepEqual(
      { ...body, passwordResetToken: '…' },
      {
        email: 'bob@acme.com',
        id: 0,
        passwordResetToken: '…',
        roleHierarchy: 'SUCCESS',
        userRoleHierarchy: ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'],
        users: null,
      },
    )
    const link = new URL(body.passwordResetToken)
    assert.equal(link.origin, 'http://localhost:8080')
    assert.equal(link.pathname, '/resetPassword')
    const token = link.searchParams.get('token')!

    const used = await t.post(
      '/api/resetPassword',
      undefined,
      { token, password: 'a brand new passphrase 7' },
      { origin: 'http://localhost:8080' },
    )
    assert.equal(used.statusCode, 200, used.body)
    assert.equal(
      (
        await t.post(
          '/api/login',
          undefined,
          { email: 'bob@acme.com', password: 'a brand new passphrase 7' },
          { origin: 'http://localhost:8080' },
        )
      ).statusCode,
      200,
    )
    const again = await t.post(
      '/api/resetPassword',
      undefined,
      { token, password: 'another passphrase 8' },
      { origin: 'http://localhost:8080' },
    )
    assert.equal(again.statusCode, 422)
    assert.equal(json(again).code, 'INVALID_RESET_LINK')

    const log = json(
      await t.browser('/api/fetchApiAuditLogsFromDb', ada, {
        skip: 0,
        limit: -1,
        sortOrder: -1,
        startTimestamp: 0,
        endTimestamp: 9_999_999_999,
      }),
    )
    const entry = log.apiAuditLogs.find(
      (e: { apiEndpoint: string }) => e.apiEndpoint === '/api/resetUserPassword',
    )
    assert.equal(entry.userEmail, 'ada@acme.com')
    assert.equal(entry.actionDescription, 'Sent a password-reset link to bob@acme.com')
  })

  it("puts the link on an allowed websiteHostName, as inviteUsers does; any other is 422 and issues nothing", async () => {
    const mailsToBob = async () =>
      (await t.services.mail.list({ accountId })).filter((m) => m.to === 'bob@acme.com').length
    const allowed = await t.browser('/api/resetUserPassword', ada, {
      userEmail: 'bob@acme.com',
      websiteHostName: 'https://app.acme.com',
    })
    assert.equal(allowed.statusCode, 200, allowed.body)
    const link = new URL(json(allowed).passwordResetToken)
    assert.equal(link.origin, 'https://app.acme.com')
    assert.equal(link.pathname, '/resetPassword')
    const mails = await mailsToBob()

    for (const websiteHostName of ['https://evil.example', 'evil']) {
      const refused = await t.browser('/api/resetUserPassword', ada, { userEmail: 'bob@acme.com', websiteHostName })
      assert.equal(refused.statusCode, 422, websiteHostName)
      assert.deepEqual(json(refused), { actionErrors: ['Invalid websiteHostName'], code: 'INVALID_WEBSITE_HOST' })
    }
    // Nothing issued: no email queued, and the allowed call's link (which a new one would replace) still works.
    assert.equal(await mailsToBob(), mails)
    const used = await t.post(
      '/api/resetPassword',
      undefined,
      { token: link.searchParams.get('token'), password: 'a third passphrase 9' },
      { origin: 'http://localhost:8080' },
    )
    assert.equal(used.statusCode, 200, used.body)
  })

  it("refuses an unknown member with Akto's message, the caller themself, and a role below ADMIN", async () => {
    const unknown = await t.browser('/api/resetUserPassword', ada, { userEmail: 'nobody@acme.com' })
    assert.equal(unknown.statusCode, 422)
    assert.deepEqual(json(unknown), { actionErrors: ["User doesn't exist"], code: 'USER_NOT_FOUND' })
    const self = await t.browser('/api/resetUserPassword', ada, { userEmail: 'ada@acme.com' })
    assert.equal(self.statusCode, 422)
    assert.equal(json(self).code, 'SELF_ACTION')
    const member = await t.browser('/api/resetUserPassword', mia, { userEmail: 'bob@acme.com' })
    assert.equal(member.statusCode, 403)
    assert.deepEqual(json(member), {
      actionErrors: ["The role 'MEMBER' does not have access."],
      code: 'FORBIDDEN_ROLE',
    })
  })
})
