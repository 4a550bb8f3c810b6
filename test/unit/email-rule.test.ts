import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { belongsToDomains, normalizeDomain, normalizeEmail } from '../../src/invitations/email-rule.ts'

describe('email rule', () => {
  it('trims and lower-cases a valid email', () => {
    assert.equal(normalizeEmail('  Bob.Smith+x@ACME.com '), 'bob.smith+x@acme.com')
  })

  it('refuses malformed emails', () => {
    for (const bad of [
      '',
      'bob',
      'bob@',
      '@acme.com',
      'bob@acme',
      'bob@acme.c',
      'bo b@acme.com',
      'bob@ac me.com',
      'bob@acme.com\r\nBcc: x@y.com',
      7,
      null,
      {},
    ]) {
      assert.equal(normalizeEmail(bad), undefined, String(bad))
    }
  })

  it('refuses a 50,000-character input without running a pattern over it', () => {
    // No clock: the patterns are watched, and none may see more than the capped input (the
    // spec's pattern backtracks on long inputs; the cap keeps its worst case small).
    const seen: number[] = []
    const { test, exec } = RegExp.prototype
    RegExp.prototype.test = function (this: RegExp, s: string) {
      seen.push(String(s).length)
      return test.call(this, s)
    }
    RegExp.prototype.exec = function (this: RegExp, s: string) {
      seen.push(String(s).length)
      return exec.call(this, s)
    }
    try {
      assert.equal(normalizeEmail('a'.repeat(50_000) + '@acme.com'), undefined)
      assert.equal(normalizeEmail('a@' + 'a.'.repeat(25_000) + '!'), undefined)
      assert.equal(normalizeEmail(' '.repeat(50_000) + 'bob@acme.com'), undefined)
    } finally {
      RegExp.prototype.test = test
      RegExp.prototype.exec = exec
    }
    assert.ok(
      seen.every((n) => n <= 320),
      `pattern inputs: ${seen.join(',')}`,
    )
  })

  it('accepts an email of exactly 320 characters and refuses one of 321', () => {
    const at = (length: number) => 'a'.repeat(length - '@acme.com'.length) + '@acme.com'
    assert.equal(normalizeEmail(at(320)), at(320))
    assert.equal(normalizeEmail(at(321)), undefined)
    // Surrounding whitespace is trimmed, up to 64 characters of it.
    assert.equal(normalizeEmail(' '.repeat(64) + at(320)), at(320))
    assert.equal(normalizeEmail(' '.repeat(65) + at(320)), undefined)
  })

  it('compares domains ignoring case and never matches a look-alike or subdomain', () => {
    assert.equal(belongsToDomains('bob@acme.com', ['ACME.com']), true)
    assert.equal(belongsToDomains('bob@evil-acme.com', ['acme.com']), false)
    assert.equal(belongsToDomains('bob@sub.acme.com', ['acme.com']), false)
    assert.equal(belongsToDomains('bob@acme.com.evil.io', ['acme.com']), false)
  })

  it('matches any one of the account domains, and nothing without one', () => {
    assert.equal(belongsToDomains('bob@acme.com', ['other.io', 'ACME.com']), true)
    assert.equal(belongsToDomains('bob@other.io', ['other.io', 'acme.com']), true)
    assert.equal(belongsToDomains('bob@acme.com', ['other.io', 'acme.io']), false)
    assert.equal(belongsToDomains('bob@acme.com', []), false)
  })

  it('normalises account domains', () => {
    assert.equal(normalizeDomain('@Acme.COM'), 'acme.com')
    assert.equal(normalizeDomain('  acme.com \t'), 'acme.com')
    assert.equal(normalizeDomain('mail.eu-west.acme.com'), 'mail.eu-west.acme.com')
    assert.equal(normalizeDomain('not a domain'), undefined)
  })

  it('refuses a domain one character away from a valid one', () => {
    assert.equal(normalizeDomain('acme.com'), 'acme.com', 'the control')
    // Only a leading @ is dropped; anything else before, inside or after the name is refused.
    for (const bad of ['ac@me.com', '!acme.com', 'acme.com!', 'acme..com', 'acme.c0m', 'acme.c', '@@acme.com'])
      assert.equal(normalizeDomain(bad), undefined, bad)
  })

  it('accepts a domain of 253 characters and refuses one of 254', () => {
    const ofLength = (n: number) => 'a'.repeat(n - '.com'.length) + '.com'
    assert.equal(normalizeDomain(ofLength(253)), ofLength(253))
    assert.equal(normalizeDomain(ofLength(254)), undefined)
  })
})
