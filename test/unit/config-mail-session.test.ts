import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'

describe('mail and session configuration', () => {
  it('defaults to no SMTP (log only) and sane retry and session settings', () => {
    const c = loadConfig({})
    assert.equal(c.smtpUrl, null)
    assert.equal(c.mailFrom, 'Roster <roster@localhost>')
    assert.equal(c.mailMaxAttempts, 8)
    assert.ok(c.sessionIdleSeconds <= c.sessionMaxSeconds)
  })

  it('accepts smtp:// and smtps:// URLs', () => {
    assert.equal(
      loadConfig({ SMTP_URL: 'smtps://u:p@mail.acme.com:465' }).smtpUrl,
      'smtps://u:p@mail.acme.com:465',
    )
  })

  it('stops with a message naming the variable, never echoing an SMTP password', () => {
    assert.throws(
      () => loadConfig({ SMTP_URL: 'http://u:secret@mail.acme.com' }),
      (e: Error) => e.message.includes('SMTP_URL') && !e.message.includes('secret'),
    )
    assert.throws(() => loadConfig({ MAIL_FROM: 'Roster <r@acme.com>\r\nBcc: x@evil.example' }), /MAIL_FROM/)
    assert.throws(() => loadConfig({ MAIL_FROM: 'no address' }), /MAIL_FROM/)
    assert.throws(() => loadConfig({ MAIL_MAX_ATTEMPTS: '0' }), /MAIL_MAX_ATTEMPTS/)
    assert.throws(
      () => loadConfig({ MAIL_RETRY_BASE_MS: '5000', MAIL_RETRY_MAX_MS: '1000' }),
      /MAIL_RETRY_MAX_MS/,
    )
    assert.throws(() => loadConfig({ SESSION_IDLE_TTL: '7200', SESSION_MAX_TTL: '3600' }), /SESSION_MAX_TTL/)
    assert.throws(() => loadConfig({ LOGIN_RATE_LIMIT: 'many' }), /LOGIN_RATE_LIMIT/)
  })
})
