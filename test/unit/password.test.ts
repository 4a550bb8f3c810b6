import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hashPassword, passwordProblem, verifyPassword } from '../../src/auth/password.ts'

describe('passwords', () => {
  it('hashes with scrypt at N=2^17 and a random salt, and verifies only the right password', async () => {
    const a = await hashPassword('tangerine-octopus-41')
    const b = await hashPassword('tangerine-octopus-41')
    assert.match(a, /^scrypt\$17\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/)
    assert.notEqual(a, b)
    assert.equal(a.includes('tangerine'), false)
    assert.equal(await verifyPassword(a, 'tangerine-octopus-41'), true)
    assert.equal(await verifyPassword(a, 'tangerine-octopus-42'), false)
  })

  it('rejects malformed or absurd hashes instead of throwing', async () => {
    assert.equal(await verifyPassword('', 'x'), false)
    assert.equal(await verifyPassword('scrypt$30$8$1$c2FsdA$a2V5a2V5a2V5a2V5a2V5', 'x'), false)
    assert.equal(await verifyPassword('bcrypt$whatever', 'x'), false)
  })

  it('refuses short, missing and common passwords with a Password message', () => {
    assert.equal(passwordProblem(undefined), 'Password is required.')
    assert.equal(passwordProblem('short'), 'Password must be at least 8 characters.')
    assert.match(passwordProblem('Password123')!, /^Password is too common/)
    assert.match(passwordProblem('qwertyuiop')!, /^Password is too common/)
    assert.match(passwordProblem('x'.repeat(300))!, /^Password must be at most/)
    assert.equal(passwordProblem('tangerine-octopus-41'), undefined)
  })
})
