/**
 * Errors answered before a request reaches a route (spec §1: every error body has the Akto shape):
 * Node's HTTP parser (a malformed request 400, headers too large 431), a path that is no valid URL
 * (400) and an Expect header that cannot be met (417). Sent over a real socket, byte for byte, as
 * `inject` skips the parser; each refusal has a control that differs only by the fault.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'

interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

describe('errors answered below the router', () => {
  let t: TestApp
  let admin: string
  let port: number

  before(async () => {
    t = await startTestApp()
    ;({ adminKey: admin } = await t.account('Acme', ['acme.com']))
    await t.server.listen({ port: 0, host: '127.0.0.1' })
    port = (t.server.server.address() as net.AddressInfo).port
  })
  after(() => t.close())

  /** Sends `text` as it is and reads the answer until the server closes the connection. */
  function raw(text: string): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(text))
      const chunks: Buffer[] = []
      socket.on('data', (d) => chunks.push(d))
      socket.on('error', reject)
      socket.on('close', () => {
        const answer = Buffer.concat(chunks).toString('utf8')
        const [head = '', ...rest] = answer.split('\r\n\r\n')
        const [statusLine = '', ...lines] = head.split('\r\n')
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        )
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
      })
    })
  }

  /** POST /api/getTeamData with the admin's key; `extra` header lines, another path or header name. */
  function getTeamData({ path = '/api/getTeamData', extra = '' } = {}) {
    return raw(
      `POST ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\nx-api-key: ${admin}\r\n` +
        `content-type: application/json\r\ncontent-length: 2\r\n${extra}\r\n{}`,
    )
  }

  function assertAktoError(answer: RawAnswer, status: number, code: string) {
    assert.equal(answer.status, status, answer.body)
    assert.match(answer.headers['content-type'] ?? '', /^application\/json/)
    const body = JSON.parse(answer.body)
    assert.deepEqual(Object.keys(body), ['actionErrors', 'code'])
    assert.equal(body.code, code)
    assert.equal(body.actionErrors.length, 1)
    assert.equal(typeof body.actionErrors[0], 'string')
  }

  it('answers headers too large with 431 in the spec shape; the control with a short header is 200', async () => {
    assert.equal((await getTeamData({ extra: `x-padding: ${'a'.repeat(100)}\r\n` })).status, 200)
    assertAktoError(await getTeamData({ extra: `x-padding: ${'a'.repeat(20_000)}\r\n` }), 431, 'HEADERS_TOO_LARGE')
  })

  it('answers a request the HTTP parser refuses with 400 in the spec shape; the control is 200', async () => {
    assert.equal((await getTeamData({ extra: 'x-note: y\r\n' })).status, 200)
    assertAktoError(await getTeamData({ extra: 'x note: y\r\n' }), 400, 'BAD_REQUEST')
  })

  it('answers a path that is not a valid URL with 400 in the spec shape; the control is 200', async () => {
    assert.equal((await getTeamData({ path: '/api/getTeamData?a=%41' })).status, 200)
    assertAktoError(await getTeamData({ path: '/api/getTeamData%zz' }), 400, 'BAD_REQUEST')
  })

  it('answers an Expect header it cannot meet with 417 in the spec shape; the control without it is 200', async () => {
    assert.equal((await getTeamData()).status, 200)
    assertAktoError(await getTeamData({ extra: 'expect: 200-ok\r\n' }), 417, 'EXPECTATION_FAILED')
  })
})
