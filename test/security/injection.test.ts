// Injection and link poisoning: the emailed link's origin never comes from the request unless
// configured; look-alike and mixed-case domains are handled; markup and CR/LF stay inert.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Writable } from 'node:stream'
import pino from 'pino'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('injection and link poisoning', () => {
  let t: TestApp
  let admin: string

  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://roster.acme.com', ALLOWED_ORIGINS: 'https://app.acme.com' } })
    ;({ adminKey: admin } = await t.account())
  })
  after(() => t.close())

  const origin = (res: Parameters<typeof json>[0]) => new URL(json(res).finalInviteCode).origin

  it('ignores Host, X-Forwarded-Host and X-Forwarded-Proto when building the link', async () => {
    const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'h@acme.com', inviteeRole: 'GUEST' }, {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
      forwarded: 'host=evil.example',
    })
    assert.equal(res.statusCode, 200)
    assert.equal(origin(res), 'https://roster.acme.com')
  })

  it('refuses websiteHostName variants that are not exactly a configured origin', async () => {
    for (const host of [
      'https://evil.example',
      'https://app.acme.com.evil.example',
      'https://app.acme.com@evil.example',
      'http://app.acme.com',
      'javascript:alert(1)',
      '//evil.example',
      'https://APP.ACME.COM.evil.example',
      'https://аpp.acme.com', // Cyrillic а
    ]) {
      const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'w@acme.com', inviteeRole: 'GUEST', websiteHostName: host })
      assert.equal(res.statusCode, 422, host)
      assert.deepEqual(json(res).actionErrors, ['Invalid websiteHostName'])
    }
  })

  it('accepts a configured origin written with a path or in upper case, and uses its origin only', async () => {
    const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'p@acme.com', inviteeRole: 'GUEST', websiteHostName: 'https://APP.acme.com/some/path?x=1' })
    assert.equal(res.statusCode, 200)
    assert.ok(json(res).finalInviteCode.startsWith('https://app.acme.com/addUserToAccount?'))
  })

  it('refuses Unicode look-alike domains and accepts mixed-case ones', async () => {
    for (const email of ['bob@аcme.com', 'bob@acme.cοm', 'bob@xn--cme-8cd.com']) {
      const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: email, inviteeRole: 'GUEST' })
      assert.equal(res.statusCode, 422, email)
    }
    assert.equal((await t.post('/api/inviteUsers', admin, { inviteeEmail: 'Mixed@AcMe.CoM', inviteeRole: 'GUEST' })).statusCode, 200)
  })

  it('refuses CR/LF in an email, and keeps markup in a name inert', async () => {
    for (const email of ['bob@acme.com\r\nBcc: x@evil.example', 'bob@acme.com\nX: y', 'bob\r@acme.com']) {
      const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: email, inviteeRole: 'GUEST' })
      assert.deepEqual(json(res).actionErrors, ['Invalid email'], JSON.stringify(email))
    }
    const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'x@acme.com', inviteeRole: 'GUEST', inviteeName: '<script>alert(1)</script>\r\nBcc: a@b.c' })
    assert.equal(res.statusCode, 200)
    assert.match(res.headers['content-type'] as string, /application\/json/)
  })

  it('keeps CR/LF and forged entries in a name out of the log: every line stays one JSON entry', async () => {
    const lines: string[] = []
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) })
    const logged = await startTestApp({ logger: pino({ level: 'info' }, sink) })
    try {
      const { adminKey } = await logged.account()
      const forged = 'Eve\n{"level":60,"msg":"forged entry"}\r\nX-Evil: y'
      const res = await logged.post('/api/inviteUsers', adminKey, { inviteeEmail: 'log@acme.com', inviteeRole: 'GUEST', inviteeName: forged })
      assert.equal(res.statusCode, 200)
      // Without SMTP_URL the message, greeting the invitee by name, is written to the log.
      assert.equal((await logged.services.outbox.deliverDue()).sent, 1)
    } finally {
      await logged.close()
    }
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string })
    assert.ok(entries.some((e) => e.msg?.includes('forged entry')), 'the name reached the log, inside an entry')
    assert.ok(!entries.some((e) => e.msg === 'forged entry'), 'no entry was forged')
  })
})
