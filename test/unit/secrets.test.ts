import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  generateApiKey,
  hashApiKey,
  looksLikeApiKey,
  sameHash as sameKeyHash,
} from '../../src/api-keys/api-key.secret.ts'
import {
  generateSessionToken,
  hashSessionToken,
  looksLikeSessionToken,
  SESSION_COOKIE,
  sameHash as sameTokenHash,
} from '../../src/sessions/session.token.ts'

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

describe('API key secrets', () => {
  it('makes a fresh rst_ key of 32 random characters, its SHA-256 and a 10-character prefix', () => {
    const a = generateApiKey()
    const b = generateApiKey()
    assert.match(a.key, /^rst_[A-Za-z0-9_-]{32}$/)
    assert.notEqual(a.key, b.key)
    assert.equal(a.hash, sha256(a.key))
    assert.equal(hashApiKey(a.key), sha256(a.key))
    assert.equal(a.prefix, a.key.slice(0, 10))
    assert.equal(looksLikeApiKey(a.key), true)
  })

  it('refuses the shape of anything but a key, each differing from a real one by one property', () => {
    const key = 'rst_' + 'A'.repeat(32)
    assert.equal(looksLikeApiKey(key), true)
    assert.equal(looksLikeApiKey('rst_' + 'A'.repeat(31)), false)
    assert.equal(looksLikeApiKey('rst_' + 'A'.repeat(33)), false)
    assert.equal(looksLikeApiKey('rsx_' + 'A'.repeat(32)), false)
    assert.equal(looksLikeApiKey('rst_' + 'A'.repeat(31) + '!'), false)
    assert.equal(looksLikeApiKey('x' + key), false)
    assert.equal(looksLikeApiKey(key + '\n'), false)
  })

  it('compares hashes: equal only when every byte is', () => {
    const h = sha256('a')
    assert.equal(sameKeyHash(h, h), true)
    assert.equal(sameKeyHash(h, sha256('b')), false)
    assert.equal(sameKeyHash(h, h.slice(0, 62)), false)
    assert.equal(sameKeyHash(h, ''), false)
  })
})

describe('session tokens', () => {
  it('makes a fresh 43-character token and stores only its SHA-256', () => {
    const a = generateSessionToken()
    const b = generateSessionToken()
    assert.equal(SESSION_COOKIE, 'roster_session')
    assert.match(a.token, /^[A-Za-z0-9_-]{43}$/)
    assert.notEqual(a.token, b.token)
    assert.equal(a.hash, sha256(a.token))
    assert.equal(hashSessionToken(a.token), sha256(a.token))
    assert.equal(looksLikeSessionToken(a.token), true)
  })

  it('refuses the shape of anything but a token', () => {
    const token = 'A'.repeat(43)
    assert.equal(looksLikeSessionToken(token), true)
    assert.equal(looksLikeSessionToken('A'.repeat(42)), false)
    assert.equal(looksLikeSessionToken('A'.repeat(44)), false)
    assert.equal(looksLikeSessionToken('A'.repeat(42) + '='), false)
    assert.equal(looksLikeSessionToken('x' + token), false)
    assert.equal(looksLikeSessionToken(token + 'x'), false)
  })

  it('compares hashes: equal only when every byte is', () => {
    const h = sha256('a')
    assert.equal(sameTokenHash(h, h), true)
    assert.equal(sameTokenHash(h, sha256('b')), false)
    assert.equal(sameTokenHash(h, h.slice(0, 62)), false)
  })
})
