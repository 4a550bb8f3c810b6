/**
 * listTeam's member search reads member_search_terms (src/team/search-terms.ts): these tests
 * change members through every door (invitation acceptance, removal, SCIM, the CSV import) and
 * require the very next search to agree, and check the dense path (more than 1,000 hits) against
 * the rule written out here.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { listPage } from './list-page.ts'
import { roster } from '../helpers/cli.ts'
import { USER, scimClient, scimToken } from '../scim/helpers.ts'
import * as memberSearchMigration from '../../src/db/migrations/2026-11-29T1800-member-search.ts'
import * as wordSeparatorsMigration from '../../src/db/migrations/2026-11-30T0500-search-word-separators.ts'

const PASSWORD = 'tangerine-octopus-41'
const ORIGIN = 'http://localhost:8080'

describe('listTeam member search through the terms index', () => {
  let t: TestApp

  before(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MAX: '0' } })
  })
  after(() => t.close())

  const list = (key: string, body: Record<string, unknown>) => listPage(t, key, body)
  const found = async (key: string, search: string) => (await list(key, { search })).items.map((i) => i.login)

  /** Every stored search term, in key order. */
  const terms = () =>
    t.database.db
      .selectFrom('member_search_terms')
      .select(['account_id', 'user_id', 'term'])
      .orderBy('account_id')
      .orderBy('user_id')
      .orderBy('term')
      .execute()

  /** Every page of a search, following the cursors. */
  async function all(key: string, body: Record<string, unknown>) {
    const logins: string[] = []
    let cursor: string | null | undefined
    do {
      const page = await list(key, { ...body, limit: 200, ...(cursor ? { cursor } : {}) })
      logins.push(...page.items.map((i) => i.login))
      cursor = page.nextCursor
    } while (cursor)
    return logins
  }

  async function team(domain: string, members: { email: string; name?: string; role?: string }[]) {
    const acc = await t.account(domain, [domain], `ada@${domain}`)
    const results = await t.services.memberImport.importMembers(acc.accountId, members)
    assert.ok(
      results.every((r) => r.ok),
      JSON.stringify(results.find((r) => !r.ok)),
    )
    return acc
  }

  it('finds a member by the name they choose on accepting, in every account, and no longer by the old one', async () => {
    const first = await t.account('First', ['rename.io'], 'ada@rename.io')
    const second = await t.account('Second', ['rename.io'], 'ada2@rename.io')
    // Added by an operator without a password: they choose their name when they first accept.
    await t.services.accounts.addUser({
      accountId: first.accountId,
      email: 'cy@rename.io',
      role: 'GUEST',
      name: 'Placeholder Person',
    })
    assert.deepEqual(await found(first.adminKey, 'person'), ['cy@rename.io'])
    const invite = await t.post('/api/inviteUsers', second.adminKey, {
      inviteeEmail: 'cy@rename.io',
      inviteeRole: 'GUEST',
    })
    const link = new URL(json(invite).finalInviteCode)
    const accepted = await t.post(
      '/api/acceptInvitation',
      undefined,
      {
        signupInvitationCode: link.searchParams.get('signupInvitationCode'),
        signupEmailId: link.searchParams.get('signupEmailId'),
        name: 'Cyrille Ångström',
        password: PASSWORD,
      },
      { origin: ORIGIN },
    )
    assert.equal(accepted.statusCode, 200, accepted.body)
    for (const key of [first.adminKey, second.adminKey]) {
      assert.deepEqual(await found(key, 'ÅNGST'), ['cy@rename.io'])
      assert.deepEqual(await found(key, 'cyrille å'), ['cy@rename.io'])
      assert.deepEqual(await found(key, 'person'), [])
      assert.deepEqual(await found(key, 'placeholder'), [])
      // The login stays searchable.
      assert.deepEqual(await found(key, 'cy@'), ['cy@rename.io'])
    }
  })

  it('finds a member by a word after a hyphen, an apostrophe, a period or a parenthesis, as after a space', async () => {
    const { adminKey } = await team('words.io', [
      { email: 'anna@words.io', name: 'Anna Smith-Jones' },
      { email: 'sean@words.io', name: "Seán O'Brien" },
      { email: 'mary@words.io', name: 'Mary D\u2019Angelo' },
      { email: 'jrr@words.io', name: 'J.R.R. Tolkien' },
      { email: 'bob@words.io', name: 'Robert (Bob) Marley' },
      { email: 'plain@words.io', name: 'Jonesy Smithers' },
      { email: 'star@words.io', name: 'Star*Man [x]?q' },
    ])
    // Wildcards of LIKE and GLOB in the search stand for themselves.
    assert.deepEqual(await found(adminKey, 'star*m'), ['star@words.io'])
    assert.deepEqual(await found(adminKey, '[x]?'), ['star@words.io'])
    assert.deepEqual(await found(adminKey, 'star?'), [])
    assert.deepEqual(await found(adminKey, 'x]'), [])
    assert.deepEqual(await found(adminKey, 'jones'), ['anna@words.io', 'plain@words.io'])
    assert.deepEqual(await found(adminKey, 'JONES'), ['anna@words.io', 'plain@words.io'])
    assert.deepEqual(await found(adminKey, 'smith-j'), ['anna@words.io'])
    assert.deepEqual(await found(adminKey, 'brien'), ['sean@words.io'])
    assert.deepEqual(await found(adminKey, "o'b"), ['sean@words.io'])
    assert.deepEqual(await found(adminKey, 'angelo'), ['mary@words.io'])
    assert.deepEqual(await found(adminKey, 'r.r'), ['jrr@words.io'])
    assert.deepEqual(await found(adminKey, 'bob'), ['bob@words.io'])
    // Inside a word is still no match.
    assert.deepEqual(await found(adminKey, 'ones'), [])
    assert.deepEqual(await found(adminKey, 'rien'), [])
    // Pending invitations are searched by the same rule.
    const invited = await t.post('/api/inviteUsersBulk', adminKey, {
      invitations: [{ inviteeEmail: 'zed@words.io', inviteeRole: 'GUEST', inviteeName: 'Zed Lloyd-Webber' }],
    })
    assert.equal(invited.statusCode, 200, invited.body)
    const invitations = await list(adminKey, { kind: 'invitations', search: 'webber' })
    assert.deepEqual(
      invitations.items.map((i) => i.login),
      ['zed@words.io'],
    )
  })

  it('does not find a removed member, and still finds the one left with the same name', async () => {
    const { adminKey } = await team('removed.io', [
      { email: 'gone@removed.io', name: 'Noor Valdez' },
      { email: 'kept@removed.io', name: 'Noor Valdez' },
    ])
    assert.deepEqual(await found(adminKey, 'valdez'), ['gone@removed.io', 'kept@removed.io'])
    assert.equal((await t.post('/api/removeUser', adminKey, { email: 'gone@removed.io' })).statusCode, 200)
    assert.deepEqual(await found(adminKey, 'valdez'), ['kept@removed.io'])
    assert.deepEqual(await found(adminKey, 'gone'), [])
  })

  it("does not find another account's member with the same name", async () => {
    const mine = await team('mine.io', [{ email: 'quinn@mine.io', name: 'Quinn Zebra' }])
    const theirs = await team('theirs.io', [{ email: 'quinn@theirs.io', name: 'Quinn Zebra' }])
    assert.deepEqual(await found(mine.adminKey, 'zebra'), ['quinn@mine.io'])
    assert.deepEqual(await found(theirs.adminKey, 'zebra'), ['quinn@theirs.io'])
    assert.deepEqual(await found(mine.adminKey, 'quinn@t'), [])
  })

  it('finds a member created by SCIM by a word of their name', async () => {
    const { accountId, adminKey } = await t.account('Scim', ['scim.io'], 'ada@scim.io')
    const scim = scimClient(t, await scimToken(t, accountId))
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'dana@scim.io',
      name: { givenName: 'Dana', familyName: 'Okonkwo' },
      active: true,
    })
    assert.equal(created.statusCode, 201, created.body)
    assert.deepEqual(await found(adminKey, 'okon'), ['dana@scim.io'])
    assert.equal((await scim('DELETE', `/Users/${created.json.id as string}`)).statusCode, 204)
    assert.deepEqual(await found(adminKey, 'okon'), [])
  })

  it('finds a member imported from a CSV file (roster user import) by a word of their name', async () => {
    const { accountId, adminKey } = await t.account('Csv', ['csv.io'], 'ada@csv.io')
    const dir = mkdtempSync(join(tmpdir(), 'member-search-'))
    try {
      const file = join(dir, 'members.csv')
      writeFileSync(file, 'email,name,role\r\nemil@csv.io,"Emil Þórsson, Jr",GUEST\r\n')
      const res = await roster(['user', 'import', '--account', String(accountId), '--csv', file, '--json'], {
        DATABASE_URL: t.testDb.url,
        LOG_LEVEL: 'silent',
      })
      assert.equal(res.code, 0, res.stderr)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    assert.deepEqual(await found(adminKey, 'þórs'), ['emil@csv.io'])
    assert.deepEqual(await found(adminKey, 'jr'), ['emil@csv.io'])
  })

  describe('with more than 1,000 hits', () => {
    // 3,000 members who do not match, in logins that sort first, then 1,200 who do (in two roles),
    // then 10 whose name matches a longer search: the hits cluster after the first 2,000 logins.
    const others = Array.from({ length: 3000 }, (_, i) => ({
      email: `a${String(i).padStart(4, '0')}@dense.io`,
      name: `Other ${i}`,
      role: 'GUEST',
    }))
    const pats = Array.from({ length: 1200 }, (_, i) => ({
      email: `p${String(i).padStart(4, '0')}@dense.io`,
      name: `Robin Pat${i}`,
      role: i % 3 === 0 ? 'DEVELOPER' : 'GUEST',
    }))
    let adminKey: string

    before(async () => {
      ;({ adminKey } = await team('dense.io', [...others, ...pats]))
    })

    // The rule, written out: the login, the name or a word of it starts with the search.
    const expected = (search: string, role?: string) =>
      [...others, ...pats]
        .filter((m) => role === undefined || m.role === role)
        .filter((m) => {
          const name = m.name.toLowerCase()
          return m.email.startsWith(search) || name.startsWith(search) || name.includes(` ${search}`)
        })
        .map((m) => m.email)
        .sort()

    it('pages through every hit in login order, when they cluster past the first 2,000 logins', async () => {
      assert.equal(expected('pat').length, 1200)
      assert.deepEqual(await all(adminKey, { search: 'pat' }), expected('pat'))
      assert.deepEqual(await found(adminKey, 'pat'), expected('pat').slice(0, 50))
    })

    it('pages through every hit in login order, when they are spread through the team', async () => {
      // `o` starts "Other …" (3,000) and no Robin: hits from the first login on.
      assert.deepEqual(await all(adminKey, { search: 'o' }), expected('o'))
      // `a` and `p` start logins: every member is a hit.
      assert.deepEqual(await all(adminKey, { search: 'robin' }), expected('robin'))
    })

    it('applies the role filter and the cursor to dense and sparse hits alike', async () => {
      assert.deepEqual(
        await all(adminKey, { search: 'robin', role: 'DEVELOPER' }),
        expected('robin', 'DEVELOPER'),
      )
      assert.equal(expected('robin', 'DEVELOPER').length, 400)
      // Sparse: pat1, pat10 … pat19, pat100 … pat199, pat1000 … pat1199: 311 hits, over two pages.
      assert.equal(expected('pat1').length, 311)
      assert.deepEqual(await all(adminKey, { search: 'pat1' }), expected('pat1'))
      assert.deepEqual(await all(adminKey, { search: 'pat11' }), expected('pat11'))
      assert.deepEqual(
        await all(adminKey, { search: 'pat11', role: 'DEVELOPER' }),
        expected('pat11', 'DEVELOPER'),
      )
    })
  })

  it('gives the members a database already holds the very terms the application writes, when it migrates', async () => {
    const { adminKey } = await team('migrate.io', [{ email: 'old@migrate.io', name: 'Élodie  de la Cruz' }])
    const db = t.database.db
    const written = await terms()
    assert.ok(written.length > 4200 * 2, String(written.length))
    // The migration that adds the table, rolled back and applied again, then the one that
    // rebuilds the terms with today's word separators: they index everyone.
    await memberSearchMigration.down(db)
    await memberSearchMigration.up(db)
    await wordSeparatorsMigration.up(db)
    assert.deepEqual(await terms(), written)
    assert.deepEqual(await found(adminKey, 'la cruz'), ['old@migrate.io'])
    assert.deepEqual(await found(adminKey, 'ÉLODIE  DE'), ['old@migrate.io'])
  })

  it('rebuilds the terms of the members a database already holds when it migrates, so they are found by a word after a hyphen', async () => {
    const { adminKey } = await team('rebuild.io', [
      { email: 'anna@rebuild.io', name: 'Anna Smith-Jones' },
      { email: 'sean@rebuild.io', name: "Seán O'Brien" },
    ])
    const db = t.database.db
    const written = await terms()
    // A database that migrated before: its terms start after spaces only, so the seek misses her.
    await wordSeparatorsMigration.down(db)
    assert.deepEqual(await found(adminKey, 'jones'), [])
    assert.notDeepEqual(await terms(), written)
    await wordSeparatorsMigration.up(db)
    assert.deepEqual(await terms(), written)
    assert.deepEqual(await found(adminKey, 'jones'), ['anna@rebuild.io'])
    assert.deepEqual(await found(adminKey, 'brien'), ['sean@rebuild.io'])
  })

  it("makes roster db check report a member renamed, and one removed, behind the application's back", async () => {
    const { accountId, adminKey } = await team('check.io', [
      { email: 'kim@check.io', name: 'Kim Park' },
      { email: 'lee@check.io', name: 'Lee Park' },
    ])
    const [kim, lee] = (await list(adminKey, { search: 'park' })).items.map((i) => i.id)
    const check = async () => {
      const res = await roster(['db', 'check', '--json'], { DATABASE_URL: t.testDb.url, LOG_LEVEL: 'silent' })
      const out = JSON.parse(res.stdout || '{}') as { findings?: { check: string; detail: string }[] }
      return {
        code: res.code,
        findings: (out.findings ?? []).filter((f) => f.check === 'member_search_terms').map((f) => f.detail),
      }
    }
    assert.deepEqual(await check(), { code: 0, findings: [] })
    const db = t.database.db
    await db.updateTable('users').set({ name: 'Lee Changed' }).where('email', '=', 'lee@check.io').execute()
    await db
      .deleteFrom('memberships')
      .where('account_id', '=', accountId)
      .where('login', '=', 'kim@check.io')
      .execute()
    assert.deepEqual(await check(), {
      code: 1,
      findings: [
        `account ${accountId}: the search terms of user ${lee} do not match their login and name`,
        `account ${accountId}: search terms of user ${kim}, who is not a member`,
      ],
    })
    // What the search shows meanwhile: the rule has the last word, the index only narrows.
    assert.deepEqual(await found(adminKey, 'park'), [])
    assert.deepEqual(await found(adminKey, 'lee'), ['lee@check.io'])
  })
})
