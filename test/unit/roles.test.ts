import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { can, PERMISSIONS } from '../../src/roles/permissions.ts'
import { hierarchyOf, isWithin, parseBaseRole } from '../../src/roles/role.ts'

describe('roles', () => {
  it('gives each built-in role itself and every role below it', () => {
    assert.deepEqual(hierarchyOf('ADMIN'), ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'])
    assert.deepEqual(hierarchyOf('MEMBER'), ['MEMBER', 'DEVELOPER', 'GUEST'])
    assert.deepEqual(hierarchyOf('DEVELOPER'), ['DEVELOPER', 'GUEST'])
    assert.deepEqual(hierarchyOf('GUEST'), ['GUEST'])
  })

  it('reads role names case-insensitively and VIEWER as GUEST', () => {
    assert.equal(parseBaseRole('developer'), 'DEVELOPER')
    assert.equal(parseBaseRole(' Admin '), 'ADMIN')
    assert.equal(parseBaseRole('viewer'), 'GUEST')
    assert.equal(parseBaseRole('OWNER'), undefined)
    assert.equal(parseBaseRole(42), undefined)
    assert.equal(parseBaseRole(''), undefined)
  })

  it('places a role within a hierarchy only when it is equal or lower', () => {
    assert.equal(isWithin('MEMBER', 'DEVELOPER'), true)
    assert.equal(isWithin('MEMBER', 'MEMBER'), true)
    assert.equal(isWithin('MEMBER', 'ADMIN'), false)
    assert.equal(isWithin('GUEST', 'DEVELOPER'), false)
  })
})

describe('can()', () => {
  const table: [string, boolean, boolean, boolean, boolean][] = [
    // action,               ADMIN, MEMBER, DEVELOPER, GUEST
    ['team:read', true, true, true, true],
    ['invitations:create', true, true, false, false],
    ['members:remove', true, false, false, false],
    ['members:changeRole', true, false, false, false],
    ['roles:manage', true, false, false, false],
  ]
  for (const [action, ...allowed] of table) {
    it(`follows the spec's role table for ${action}`, () => {
      const roles = ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'] as const
      roles.forEach((role, i) => assert.equal(can(role, action as keyof typeof PERMISSIONS), allowed[i], `${role} ${action}`))
    })
  }
})
