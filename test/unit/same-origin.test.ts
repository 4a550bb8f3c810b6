import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FastifyRequest } from 'fastify'
import { isForeignOrigin, isSameOrigin, requestOrigin } from '../../src/sessions/same-origin.ts'

const ours = ['https://roster.acme.com', 'https://app.acme.com']
const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest

describe('the same-origin check', () => {
  it('reads the origin from Origin, else from Referer, else none', () => {
    assert.equal(requestOrigin(request({ origin: 'https://roster.acme.com' })), 'https://roster.acme.com')
    assert.equal(
      requestOrigin(request({ origin: 'https://a.example', referer: 'https://b.example/x' })),
      'https://a.example',
    )
    assert.equal(
      requestOrigin(request({ referer: 'https://roster.acme.com/team?x=1' })),
      'https://roster.acme.com',
    )
    assert.equal(requestOrigin(request({})), null)
    assert.equal(requestOrigin(request({ referer: 'not a url' })), 'invalid')
  })

  it('accepts only a request naming one of our origins', () => {
    assert.equal(isSameOrigin(request({ origin: 'https://roster.acme.com' }), ours), true)
    assert.equal(isSameOrigin(request({ origin: 'https://app.acme.com' }), ours), true)
    assert.equal(isSameOrigin(request({ referer: 'https://app.acme.com/page' }), ours), true)
    // Each differs from an accepted one by one property.
    assert.equal(isSameOrigin(request({ origin: 'https://evil.example' }), ours), false)
    assert.equal(isSameOrigin(request({ origin: 'http://roster.acme.com' }), ours), false)
    assert.equal(isSameOrigin(request({ origin: 'https://roster.acme.com.evil.example' }), ours), false)
    assert.equal(isSameOrigin(request({ referer: 'https://evil.example/page' }), ours), false)
    assert.equal(isSameOrigin(request({}), ours), false)
    assert.equal(isSameOrigin(request({ referer: '::' }), ours), false)
    assert.equal(isSameOrigin(request({ origin: 'null' }), ours), false)
  })

  it('calls foreign only a request that names another origin', () => {
    assert.equal(isForeignOrigin(request({ origin: 'https://evil.example' }), ours), true)
    assert.equal(isForeignOrigin(request({ referer: 'https://evil.example/x' }), ours), true)
    assert.equal(isForeignOrigin(request({ referer: '::' }), ours), true)
    assert.equal(isForeignOrigin(request({ origin: 'https://roster.acme.com' }), ours), false)
    assert.equal(isForeignOrigin(request({ referer: 'https://app.acme.com/x' }), ours), false)
    assert.equal(isForeignOrigin(request({}), ours), false)
  })
})
