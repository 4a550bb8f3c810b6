import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { testEngine } from '../helpers/database.ts'
import { parseUserFilter } from '../../src/scim/scim-filter.ts'
import { compileScimUserPage } from '../../src/scim/scim-user.repository.ts'
import { scimClient, scimToken } from './helpers.ts'

const MEMBERS = 100_000

/** 100,000 members in one account, written by one statement each (a test fixture, not a use case). */
async function seed(t: TestApp, accountId: number) {
  const db = t.database.db
  const series =
    testEngine === 'postgres'
      ? sql`select g as n from generate_series(1, ${MEMBERS}) as g`
      : sql`with recursive s(n) as (select 1 union all select n + 1 from s where n < ${MEMBERS}) select n from s`
  await sql`insert into users (email, name, created_at) select 'user' || n || '@acme.com', 'User ' || n, 0 from (${series}) as seq`.execute(
    db,
  )
  await sql`insert into memberships (account_id, user_id, role, created_at, external_id)
            select ${accountId}, id, 'GUEST', 0, 'ext-' || id from users where email like 'user%@acme.com'`.execute(
    db,
  )
  await sql`analyze`.execute(db)
}

async function plan(t: TestApp, filter: string, accountId: number): Promise<string> {
  const query = compileScimUserPage(t.database.db, accountId, parseUserFilter(filter), 100)
  const explain = testEngine === 'postgres' ? 'explain ' : 'explain query plan '
  const result = await t.database.db.executeQuery({ ...query, sql: explain + query.sql })
  return result.rows.map((r) => Object.values(r as object).join(' ')).join('\n')
}

describe('SCIM listing in a 100,000-member account', () => {
  let t: TestApp
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId } = await t.account('Acme', ['acme.com']))
    await seed(t, accountId)
  })
  after(() => t.close())

  it('finds a user by userName through the email index, not a scan of the team', async () => {
    const text = await plan(t, 'userName eq "user77777@acme.com"', accountId)
    if (testEngine === 'postgres') {
      assert.match(text, /Index (Only )?Scan using users_email_key/i, text)
      assert.doesNotMatch(text, /Seq Scan on memberships/i, text)
    } else {
      assert.match(text, /SEARCH u USING (COVERING )?INDEX sqlite_autoindex_users_1 \(email=\?\)/, text)
      assert.doesNotMatch(text, /SCAN m\b/, text)
    }
  })

  it('finds a user by externalId through the (account, externalId) index', async () => {
    const text = await plan(t, 'externalId eq "ext-4242"', accountId)
    assert.match(text, /memberships_external_id_idx/, text)
    if (testEngine === 'postgres') assert.doesNotMatch(text, /Seq Scan on memberships/i, text)
    else assert.doesNotMatch(text, /SCAN m\b/, text)
  })

  it('answers the filtered lookup over HTTP with exactly that user', async () => {
    const scim = scimClient(t, await scimToken(t, accountId))
    const res = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "user77777@acme.com"')}&count=100`,
    )
    assert.equal(res.statusCode, 200)
    assert.equal(res.json.totalResults, 1)
    assert.equal(res.json.Resources[0].userName, 'user77777@acme.com')
    const page = await scim('GET', '/Users?startIndex=50001&count=100&attributes=userName')
    assert.equal(page.json.totalResults, MEMBERS + 1)
    assert.equal(page.json.itemsPerPage, 100)
  })
})
