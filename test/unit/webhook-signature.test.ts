// Webhook signing through its functions, checked as a receiver checks it: with the
// `standardwebhooks` package (test/webhooks covers the signed deliveries over HTTP).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Webhook } from 'standardwebhooks'
import {
  SECRET_PREFIX,
  generateSecret,
  sign,
  signatureHeader,
} from '../../src/webhooks/webhook.signature.ts'

const body = JSON.stringify({ type: 'member.added', data: { email: 'bob@acme.com' } })
const id = 'msg_2b7fQ1'
const now = () => Math.floor(Date.now() / 1000)
const headers = (signature: string, timestamp: number, msgId = id) => ({
  'webhook-id': msgId,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
})
const refuses = (secret: string, body: string, h: Record<string, string>) =>
  assert.throws(() => new Webhook(secret).verify(body, h), /No matching signature found/)

describe('webhook signing', () => {
  it('generates whsec_ secrets of 24 random bytes in base64', () => {
    const a = generateSecret()
    const b = generateSecret()
    assert.equal(SECRET_PREFIX, 'whsec_')
    for (const secret of [a, b]) {
      assert.equal(secret.startsWith('whsec_'), true, secret)
      const key = secret.slice('whsec_'.length)
      assert.equal(Buffer.from(key, 'base64').length, 24)
      assert.equal(Buffer.from(key, 'base64').toString('base64'), key, 'canonical base64')
    }
    assert.notEqual(a, b)
  })

  it('signs what a Standard Webhooks receiver verifies, and the same as its own signer', () => {
    const secret = generateSecret()
    const ts = now()
    const signature = sign(secret, id, ts, body)
    assert.match(signature, /^v1,[A-Za-z0-9+/]{43}=$/)
    assert.deepEqual(new Webhook(secret).verify(body, headers(signature, ts)), JSON.parse(body))
    assert.equal(signature, new Webhook(secret).sign(id, new Date(ts * 1000), body))
  })

  it('is refused when the body, id, timestamp or secret differs by one thing', () => {
    const secret = generateSecret()
    const ts = now()
    const signature = sign(secret, id, ts, body)
    assert.doesNotThrow(() => new Webhook(secret).verify(body, headers(signature, ts)), 'the control')
    refuses(secret, body.replace('bob', 'eve'), headers(signature, ts))
    refuses(secret, body, headers(signature, ts, 'msg_other'))
    refuses(secret, body, headers(signature, ts - 1))
    refuses(generateSecret(), body, headers(signature, ts))
  })

  it('puts one signature per live secret in the header, each verifying on its own', () => {
    const [older, newer] = [generateSecret(), generateSecret()]
    const ts = now()
    const header = signatureHeader([older, newer], id, ts, body)
    assert.deepEqual(header.split(' '), [sign(older, id, ts, body), sign(newer, id, ts, body)])
    for (const secret of [older, newer])
      assert.deepEqual(new Webhook(secret).verify(body, headers(header, ts)), JSON.parse(body))
    refuses(generateSecret(), body, headers(header, ts))
    assert.equal(signatureHeader([], id, ts, body), '')
  })
})
