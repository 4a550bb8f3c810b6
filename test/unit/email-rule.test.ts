import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { belongsToDomains, normalizeDomain, normalizeEmail } from '../../src/invitations/email-rule.ts'

describe('email rule', () => {
  it('trims and lower-cases a valid email', () => {
    assert.equal(normalizeEmail('  Bob.Smith+x@ACME.com '), 'bob.smith+x@acme.com')
  })

  it('refuses malformed emails', () => {
    for (const bad of ['', 'bob', 'bob@', '@acme.com', 'bob@acme', 'bob@acme.c', 'bo b@acme.com', 'bob@ac me.com', 'bob@acme.com\r\nBcc: x@y.com', 7, null, {}]) {
      assert.equal(normalizeEmail(bad), undefined, String(bad))
    }
  })

  it('refuses a 50,000-character input at once', () => {
    const started = process.hrtime.bigint()
    assert.equal(normalizeEmail('a'.repeat(50_000) + '@acme.com'), undefined)
    assert.equal(normalizeEmail('a@' + 'a.'.repeat(25_000) + '!'), undefined)
    // Generous bound: a backtracking pattern on 50k characters takes seconds, not microseconds.
    assert.ok(process.hrtime.bigint() - started < 50_000_000n)
  })

  it('compares domains ignoring case and never matches a look-alike or subdomain', () => {
    assert.equal(belongsToDomains('bob@acme.com', ['ACME.com']), true)
    assert.equal(belongsToDomains('bob@evil-acme.com', ['acme.com']), false)
    assert.equal(belongsToDomains('bob@sub.acme.com', ['acme.com']), false)
    assert.equal(belongsToDomains('bob@acme.com.evil.io', ['acme.com']), false)
  })

  it('normalises account domains', () => {
    assert.equal(normalizeDomain('@Acme.COM'), 'acme.com')
    assert.equal(normalizeDomain('not a domain'), undefined)
  })
})
