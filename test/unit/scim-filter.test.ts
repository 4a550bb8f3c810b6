// SCIM filter translation through its two public functions: which attribute each SCIM path
// names, and every refusal as 400 invalidFilter with its own detail (test/scim covers the
// resulting SQL and answers over HTTP).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseGroupFilter, parseUserFilter } from '../../src/scim/scim-filter.ts'

const refused = (run: () => unknown, detail: string) =>
  assert.throws(run, (e: any) => {
    assert.equal(e.status, 400)
    assert.equal(e.scimType, 'invalidFilter')
    assert.equal(e.message, detail)
    return true
  })
const unsupported = (path: string) => `The filter attribute '${path}' is not supported.`

describe('SCIM filter translation', () => {
  it('names the column each user attribute path is answered from, case-insensitively', () => {
    const paths: [string, string][] = [
      ['id', 'id'],
      ['userName', 'userName'],
      ['externalId', 'externalId'],
      ['displayName', 'displayName'],
      ['name.givenName', 'givenName'],
      ['name.familyName', 'familyName'],
      ['active', 'active'],
      ['emails', 'userName'],
      ['emails.value', 'userName'],
      ['emails.type', 'emailType'],
      ['emails.primary', 'emailPrimary'],
      ['meta.created', 'created'],
      ['meta.lastModified', 'lastModified'],
    ]
    for (const [path, attr] of paths) {
      assert.deepEqual(parseUserFilter(`${path} eq "x"`), { op: 'eq', attr, value: 'x' }, path)
      assert.deepEqual(parseUserFilter(`${path.toUpperCase()} pr`), { op: 'pr', attr, value: null }, path)
    }
    refused(() => parseUserFilter('title eq "x"'), unsupported('title'))
    refused(() => parseUserFilter('name eq "x"'), unsupported('name'))
  })

  it('names the columns of the group attributes, and no user attribute', () => {
    for (const [path, attr] of [
      ['id', 'id'],
      ['displayName', 'displayName'],
      ['externalId', 'externalId'],
    ])
      assert.deepEqual(parseGroupFilter(`${path} eq "x"`), { op: 'eq', attr, value: 'x' }, path)
    refused(() => parseGroupFilter('userName eq "x"'), unsupported('userName'))
  })

  it('accepts an attribute under its full User or Group schema URN', () => {
    const user = 'urn:ietf:params:scim:schemas:core:2.0:User:userName'
    assert.deepEqual(parseUserFilter(`${user} eq "x"`), { op: 'eq', attr: 'userName', value: 'x' })
    const group = 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName'
    assert.deepEqual(parseGroupFilter(`${group} eq "x"`), { op: 'eq', attr: 'displayName', value: 'x' })
    refused(
      () => parseUserFilter('urn:ietf:params:scim:schemas:extension:2.0:User:userName eq "x"'),
      unsupported('urn:ietf:params:scim:schemas:extension:2.0:User:userName'),
    )
  })

  it('keeps each comparison operator and value as written', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'])
      assert.deepEqual(parseUserFilter(`userName ${op} "Bob"`), { op, attr: 'userName', value: 'Bob' }, op)
    assert.deepEqual(parseUserFilter('active eq true'), { op: 'eq', attr: 'active', value: true })
    assert.deepEqual(parseUserFilter('id eq 12'), { op: 'eq', attr: 'id', value: 12 })
    assert.deepEqual(parseUserFilter('externalId eq null'), { op: 'eq', attr: 'externalId', value: null })
  })

  it('translates and, or, not into a tree of checked filters', () => {
    assert.deepEqual(parseUserFilter('userName sw "a" and not (active eq false) or externalId pr'), {
      op: 'or',
      filters: [
        {
          op: 'and',
          filters: [
            { op: 'sw', attr: 'userName', value: 'a' },
            { op: 'not', filter: { op: 'eq', attr: 'active', value: false } },
          ],
        },
        { op: 'pr', attr: 'externalId', value: null },
      ],
    })
    refused(() => parseUserFilter('userName eq "a" and title eq "b"'), unsupported('title'))
    refused(() => parseUserFilter('userName eq "a" or title eq "b"'), unsupported('title'))
    refused(() => parseUserFilter('not (title eq "b")'), unsupported('title'))
  })

  it('reads emails[...] with the inner attributes as those of emails', () => {
    assert.deepEqual(parseUserFilter('emails[type eq "work" and value co "acme"]'), {
      op: 'and',
      filters: [
        { op: 'eq', attr: 'emailType', value: 'work' },
        { op: 'co', attr: 'userName', value: 'acme' },
      ],
    })
    assert.deepEqual(parseUserFilter('EMAILS[primary eq true]'), {
      op: 'eq',
      attr: 'emailPrimary',
      value: true,
    })
    // Inside the brackets a path is the multi-valued attribute's, not a top-level one.
    refused(() => parseUserFilter('emails[userName eq "x"]'), unsupported('userName'))
    refused(() => parseUserFilter('addresses[type eq "work"]'), unsupported('addresses'))
  })

  it('parses a filter of 2000 characters and refuses a longer one', () => {
    const ofLength = (n: number) => `userName eq "${'a'.repeat(n - 'userName eq ""'.length)}"`
    assert.equal(ofLength(2000).length, 2000)
    assert.equal(parseUserFilter(ofLength(2000)).op, 'eq')
    refused(() => parseUserFilter(ofLength(2001)), 'The filter is too long.')
    refused(() => parseGroupFilter(`displayName eq "${'a'.repeat(2000)}"`), 'The filter is too long.')
  })

  it('refuses what is not a SCIM filter expression', () => {
    for (const text of ['userName eq', 'userName is "x"', '(userName eq "x"', ''])
      refused(() => parseUserFilter(text), 'The filter is not a valid SCIM filter expression.')
  })
})
