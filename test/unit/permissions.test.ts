import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allowedActions, can, MFA_ENROLMENT_ACTIONS, PERMISSIONS } from '../../src/roles/permissions.ts'
import {
  BUILT_IN_ROLES,
  hierarchyOf,
  isWithin,
  parseBaseRole,
  RESERVED_ROLE_NAMES,
} from '../../src/roles/role.ts'

describe('permissions as data', () => {
  it('lists exactly the actions each role may take', () => {
    const everyone = [
      'team:read',
      'roles:read',
      'apiKeys:manageOwn',
      'self:read',
      'self:switchAccount',
      'self:security',
      'self:enrolMfa',
    ]
    assert.deepEqual(allowedActions('ADMIN').sort(), Object.keys(PERMISSIONS).sort())
    assert.deepEqual(allowedActions('MEMBER').sort(), [...everyone, 'invitations:create'].sort())
    assert.deepEqual(allowedActions('DEVELOPER').sort(), [...everyone].sort())
    assert.deepEqual(allowedActions('GUEST').sort(), [...everyone].sort())
    assert.equal(can('MEMBER', 'audit:read'), false)
    assert.equal(can('ADMIN', 'audit:read'), true)
  })

  it('lets a session that still has to enrol a second factor only see itself and enrol', () => {
    assert.deepEqual([...MFA_ENROLMENT_ACTIONS], ['self:read', 'self:enrolMfa'])
    // Both are open to every role, so enrolment is never blocked by the member's role.
    for (const role of BUILT_IN_ROLES)
      for (const action of MFA_ENROLMENT_ACTIONS) assert.equal(can(role, action), true, `${role} ${action}`)
  })

  it('orders the built-in roles and reserves their names and aliases', () => {
    assert.deepEqual([...BUILT_IN_ROLES], ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'])
    assert.deepEqual([...RESERVED_ROLE_NAMES].sort(), ['ADMIN', 'DEVELOPER', 'GUEST', 'MEMBER', 'VIEWER'])
    assert.equal(parseBaseRole('VIEWER'), 'GUEST')
    assert.equal(parseBaseRole('guest'), 'GUEST')
    assert.equal(parseBaseRole('constructor'), undefined)
    assert.equal(parseBaseRole('toString'), undefined)
    assert.equal(parseBaseRole(' viewer\n'), 'GUEST')
  })

  it('places every pair of roles by rank', () => {
    for (const [i, actor] of BUILT_IN_ROLES.entries()) {
      assert.deepEqual(hierarchyOf(actor), BUILT_IN_ROLES.slice(i))
      for (const [j, target] of BUILT_IN_ROLES.entries())
        assert.equal(isWithin(actor, target), j >= i, `${actor} ${target}`)
    }
  })
})
