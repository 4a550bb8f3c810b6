// The OIDC claims mapping through its functions: which claims each scope releases and what Roster
// says about a person (spec oidc-provider.md: with `roster`, account_id as a number, account_name,
// role as the account names it, base_role). test/oidc/sign-in.test.ts covers them in real tokens.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SCOPE_CLAIMS, identityClaims, rosterClaims, type Identity } from '../../src/oidc/oidc-claims.ts'

// A custom role, so the role name and its base role differ and cannot be swapped unnoticed.
const who: Identity = {
  userId: 42,
  email: 'bob@acme.com',
  name: 'Bob Builder',
  accountId: 7,
  accountName: 'Acme',
  role: 'Auditor',
  baseRole: 'GUEST',
}

describe('OIDC claims', () => {
  it('releases sub with openid, email with email, name with profile, the membership with roster', () => {
    assert.deepEqual(SCOPE_CLAIMS, {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      roster: ['account_id', 'account_name', 'role', 'base_role'],
    })
  })

  it('maps the membership to account_id, account_name, role and base_role', () => {
    assert.deepEqual(rosterClaims(who), {
      account_id: 7,
      account_name: 'Acme',
      role: 'Auditor',
      base_role: 'GUEST',
    })
  })

  it('offers every claim a scope names, with sub as the user id in a string and the email verified', () => {
    const claims = identityClaims(who)
    assert.deepEqual(claims, {
      sub: '42',
      email: 'bob@acme.com',
      email_verified: true,
      name: 'Bob Builder',
      account_id: 7,
      account_name: 'Acme',
      role: 'Auditor',
      base_role: 'GUEST',
    })
    // Every claim a scope releases is one the mapping provides.
    for (const names of Object.values(SCOPE_CLAIMS))
      for (const name of names) assert.equal(name in claims, true, name)
  })
})
