import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { Writable } from 'node:stream'
import { afterEach, describe, it } from 'node:test'
import pino from 'pino'
import { json, startTestApp, testClock, type TestApp } from '../helpers/app.ts'
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp.ts'

const PASSWORD = 'tangerine-octopus-41'

/** Apps and SMTP servers opened by a test, closed after it whatever happens. */
function resources() {
  const apps: { app: TestApp; keep: boolean }[] = []
  const smtps: TestSmtp[] = []
  return {
    app(app: TestApp, keep = false) {
      apps.push({ app, keep })
      return app
    },
    smtp(smtp: TestSmtp) {
      smtps.push(smtp)
      return smtp
    },
    async close() {
      for (const { app, keep } of apps.reverse()) await app.close({ keepDatabase: keep }).catch(() => {})
      for (const smtp of smtps) await smtp.close().catch(() => {})
    },
  }
}

const smtpEnv = (port: number, extra: Record<string, string> = {}) => ({
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  MAIL_FROM: 'Roster <roster@acme.com>',
  LOGIN_RATE_LIMIT: '1000',
  ...extra,
})

function mailList(t: TestApp, ...args: string[]) {
  const res = spawnSync('npm', ['run', '-s', 'roster', '--', 'mail', 'list', ...args, '--json'], {
    env: { ...process.env, DATABASE_URL: t.testDb.url, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  })
  assert.equal(res.status, 0, res.stderr)
  return JSON.parse(res.stdout).messages as any[]
}

// A bounded wait: a message that never arrives fails its test instead of hanging the suite.
const bounded = { timeout: 180_000 }

describe('invitation emails through the durable outbox', () => {
  let r = resources()
  afterEach(async () => {
    await r.close()
    r = resources()
  })

  it(
    'delivers the invitation by the running worker to the SMTP server, with a link that works',
    bounded,
    async () => {
      const smtp = r.smtp(await startSmtp())
      const t = r.app(
        await startTestApp({ mailWorker: true, env: smtpEnv(smtp.port, { MAIL_POLL_MS: '50' }) }),
      )
      const { adminKey } = await t.account('Acme', ['acme.com'])
      const res = await t.post('/api/inviteUsers', adminKey, {
        inviteeEmail: 'bob@acme.com',
        inviteeRole: 'DEVELOPER',
        inviteeName: 'Bob',
      })
      assert.equal(res.statusCode, 200)
      const [mail] = await smtp.waitFor(1)
      assert.deepEqual(mail!.envelopeTo, ['bob@acme.com'])
      assert.equal(mail!.header('subject'), 'Ada invited you to join Acme')
      assert.equal(mail!.header('from'), 'Roster <roster@acme.com>')
      assert.equal(linkIn(mail!), json(res).finalInviteCode)
      for (const part of [mail!.text, mail!.html]) {
        assert.match(part, /Ada/)
        assert.match(part, /ada@acme\.com/)
        assert.match(part, /Acme/)
        assert.match(part, /DEVELOPER/)
        assert.match(part, /expires on \w{3}, \d{2} \w{3} \d{4}/)
      }
      assert.ok(mail!.html.includes('href="http://localhost:8080/addUserToAccount?signupInvitationCode='))
      const link = new URL(linkIn(mail!))
      const accepted = await t.post(
        '/api/acceptInvitation',
        undefined,
        {
          signupInvitationCode: link.searchParams.get('signupInvitationCode'),
          signupEmailId: link.searchParams.get('signupEmailId'),
          password: PASSWORD,
        },
        { origin: 'http://localhost:8080' },
      )
      assert.equal(accepted.statusCode, 200, accepted.body)
      assert.equal(json(accepted).role, 'DEVELOPER')
    },
  )

  it(
    'keeps the invitation while SMTP is down and delivers it once SMTP is back, across a restart',
    bounded,
    async () => {
      // SMTP refuses service while keeping its port (never released and rebound).
      const smtp = r.smtp(await startSmtp())
      smtp.refuse()
      const clock = testClock()
      const env = smtpEnv(smtp.port, { MAIL_RETRY_BASE_MS: '60000', MAIL_MAX_ATTEMPTS: '5' })
      const first = r.app(await startTestApp({ clock, env }), true)
      const { adminKey } = await first.account('Acme', ['acme.com'])
      const res = await first.post('/api/inviteUsers', adminKey, {
        inviteeEmail: 'bob@acme.com',
        inviteeRole: 'GUEST',
      })
      assert.equal(res.statusCode, 200)
      assert.deepEqual(await first.services.outbox.deliverDue(), { sent: 0, retrying: 1, failed: 0 })
      const pending = json<any[]>(await first.post('/api/getTeamData', adminKey)).find(
        (i) => i.login === 'bob@acme.com',
      )
      assert.equal(pending.emailStatus, 'pending')
      assert.equal(pending.role, 'Invitation sent for GUEST')
      // Before the backoff has passed, nothing is attempted.
      assert.deepEqual(await first.services.outbox.deliverDue(), { sent: 0, retrying: 0, failed: 0 })
      await first.close({ keepDatabase: true })

      smtp.serve()
      const second = r.app(await startTestApp({ clock, env, testDb: first.testDb }))
      clock.advance(60_000)
      assert.deepEqual(await second.services.outbox.deliverDue(), { sent: 1, retrying: 0, failed: 0 })
      const [mail] = await smtp.waitFor(1)
      assert.equal(linkIn(mail!), json(res).finalInviteCode)
      const sent = json<any[]>(await second.post('/api/getTeamData', adminKey)).find(
        (i) => i.login === 'bob@acme.com',
      )
      assert.equal(sent.emailStatus, 'sent')
      const listed = mailList(second, '--status', 'sent')
      assert.equal(listed.length, 1)
      assert.equal(listed[0].to, 'bob@acme.com')
      assert.equal(listed[0].attempts, 2)
      assert.equal(listed[0].subject, 'Ada invited you to join Acme')
      assert.equal(JSON.stringify(listed).includes('signupInvitationCode'), false)
    },
  )

  it('marks a message failed after the last attempt, and the invitation stays', bounded, async () => {
    const down = r.smtp(await startSmtp())
    down.refuse()
    const t = r.app(
      await startTestApp({ env: smtpEnv(down.port, { MAIL_RETRY_BASE_MS: '1000', MAIL_MAX_ATTEMPTS: '2' }) }),
    )
    const { adminKey } = await t.account('Acme', ['acme.com'])
    await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'bob@acme.com', inviteeRole: 'GUEST' })
    assert.deepEqual(await t.services.outbox.deliverDue(), { sent: 0, retrying: 1, failed: 0 })
    t.clock.advance(1000)
    assert.deepEqual(await t.services.outbox.deliverDue(), { sent: 0, retrying: 0, failed: 1 })
    t.clock.advance(3_600_000)
    assert.deepEqual(await t.services.outbox.deliverDue(), { sent: 0, retrying: 0, failed: 0 })
    const item = json<any[]>(await t.post('/api/getTeamData', adminKey)).find(
      (i) => i.login === 'bob@acme.com',
    )
    assert.equal(item.emailStatus, 'failed')
    const failed = mailList(t, '--status', 'failed')
    assert.equal(failed.length, 1)
    assert.equal(failed[0].attempts, 2)
    assert.ok(failed[0].lastError)
  })

  it(
    'sends only the newest link after a re-invite, and nothing for a cancelled invitation',
    bounded,
    async () => {
      const smtp = r.smtp(await startSmtp())
      const t = r.app(await startTestApp({ env: smtpEnv(smtp.port) }))
      const { adminKey } = await t.account('Acme', ['acme.com'])
      await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'rita@acme.com', inviteeRole: 'GUEST' })
      const newest = json(
        await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'rita@acme.com', inviteeRole: 'MEMBER' }),
      )
      await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'sam@acme.com', inviteeRole: 'GUEST' })
      await t.post('/api/removeUser', adminKey, { email: 'sam@acme.com' })
      assert.deepEqual(await t.services.outbox.deliverDue(), { sent: 1, retrying: 0, failed: 0 })
      assert.equal(smtp.received.length, 1)
      assert.deepEqual(smtp.received[0]!.envelopeTo, ['rita@acme.com'])
      assert.equal(linkIn(smtp.received[0]!), newest.finalInviteCode)
      assert.match(smtp.received[0]!.text, /as MEMBER/)
      assert.equal(mailList(t, '--status', 'superseded').length, 2)
      // And no text is kept of any of the three, sent or superseded: each link is a credential.
      const kept = await t.database.db
        .selectFrom('mail_outbox')
        .select(['text_body', 'html_body', 'inputs'])
        .execute()
      assert.deepEqual(
        kept.map((m) => [m.text_body, m.html_body, m.inputs]),
        [
          ['', '', null],
          ['', '', null],
          ['', '', null],
        ],
      )
    },
  )

  it('never sends a message twice when two Roster instances share one database', bounded, async () => {
    const smtp = r.smtp(await startSmtp())
    const env = smtpEnv(smtp.port)
    const a = r.app(await startTestApp({ env }))
    const b = r.app(await startTestApp({ env, testDb: a.testDb }), true)
    // Two accounts with three invitations each: a pass claims one account's due messages at a time.
    const emails: string[] = []
    for (const domain of ['acme.com', 'globex.com']) {
      const { adminKey } = await a.account(domain, [domain], `ada@${domain}`)
      for (const p of ['p1', 'p2', 'p3']) {
        const email = `${p}@${domain}`
        emails.push(email)
        const res = await a.post('/api/inviteUsers', adminKey, { inviteeEmail: email, inviteeRole: 'GUEST' })
        assert.equal(res.statusCode, 200, res.body)
      }
    }
    // Contention for certain: a's pass is held mid-send on its first account while b's pass runs;
    // a second message held at once can only be b's, sent from the account a had not claimed yet.
    smtp.hold()
    const passA = a.services.outbox.deliverDue()
    await smtp.waitForHeld(1)
    const passB = b.services.outbox.deliverDue()
    await smtp.waitForHeld(2)
    smtp.release()
    const passes = await Promise.all([passA, passB])
    // Both instances delivered (per-instance counts), and together exactly the six messages.
    assert.deepEqual(passes, [
      { sent: 3, retrying: 0, failed: 0 },
      { sent: 3, retrying: 0, failed: 0 },
    ])
    const received = await smtp.waitFor(emails.length)
    assert.deepEqual(received.flatMap((m) => m.envelopeTo).sort(), emails.sort())
    assert.deepEqual(await a.services.outbox.deliverDue(), { sent: 0, retrying: 0, failed: 0 })
    assert.deepEqual(await b.services.outbox.deliverDue(), { sent: 0, retrying: 0, failed: 0 })
    assert.equal(smtp.received.length, emails.length)
  })

  it('takes up a message whose claim lapsed, as a worker that died mid-send leaves it', bounded, async () => {
    // a's pass stalls mid-send (its SMTP server holds the message); on b's clock the claim lapses.
    const stalled = r.smtp(await startSmtp())
    const smtp = r.smtp(await startSmtp())
    const a = r.app(await startTestApp({ env: smtpEnv(stalled.port) }))
    const b = r.app(await startTestApp({ env: smtpEnv(smtp.port), testDb: a.testDb }), true)
    const { adminKey } = await a.account('Acme', ['acme.com'])
    await a.post('/api/inviteUsers', adminKey, { inviteeEmail: 'dan@acme.com', inviteeRole: 'GUEST' })
    stalled.hold()
    const passA = a.services.outbox.deliverDue()
    await stalled.waitForHeld(1)
    assert.deepEqual(await b.services.outbox.deliverDue(), { sent: 0, retrying: 0, failed: 0 })
    b.clock.advance(5 * 60_000 + 1)
    assert.deepEqual(await b.services.outbox.deliverDue(), { sent: 1, retrying: 0, failed: 0 })
    assert.deepEqual(smtp.received[0]!.envelopeTo, ['dan@acme.com'])
    const [message] = mailList(a, '--status', 'sent')
    assert.equal(message.attempts, 2)
    stalled.release()
    await passA
  })

  it(
    'sends a message queued by a Roster before its inputs were kept, as the text it stored',
    bounded,
    async () => {
      const smtp = r.smtp(await startSmtp())
      const t = r.app(await startTestApp({ env: smtpEnv(smtp.port) }))
      const { accountId } = await t.account('Acme', ['acme.com'])
      // The row as migration 2026-11-27T0400 wrote it: rendered text, no inputs.
      await t.database.db
        .insertInto('mail_outbox')
        .values({
          account_id: accountId,
          kind: 'invitation',
          token_id: null,
          recipient: 'old@acme.com',
          subject: 'Ada invited you to join Acme',
          text_body: 'Queued before the upgrade.\n',
          html_body: '<p>Queued before the upgrade.</p>',
          status: 'pending',
          next_attempt_at: t.clock(),
          created_at: t.clock(),
        })
        .execute()
      assert.deepEqual(await t.services.outbox.deliverDue(), { sent: 1, retrying: 0, failed: 0 })
      const [mail] = smtp.received
      assert.deepEqual(mail!.envelopeTo, ['old@acme.com'])
      assert.equal(mail!.header('subject'), 'Ada invited you to join Acme')
      assert.match(mail!.text, /Queued before the upgrade\./)
      assert.match(mail!.html, /<p>Queued before the upgrade\.<\/p>/)
    },
  )

  it('keeps names from requests out of the headers and escapes them in HTML', bounded, async () => {
    const smtp = r.smtp(await startSmtp())
    const t = r.app(await startTestApp({ env: smtpEnv(smtp.port) }))
    const created = await t.services.accounts.createAccount({
      name: 'Acme <i>R&D</i>',
      domains: ['acme.com'],
      adminEmail: 'ada@acme.com',
      adminName: 'Ada\r\nBcc: spy@evil.example <script>x</script>',
    })
    await t.post('/api/inviteUsers', created.apiKey, {
      inviteeEmail: 'bob@acme.com',
      inviteeRole: 'GUEST',
      inviteeName: 'Bob\r\nX-Evil: 1 <b>',
    })
    await t.services.outbox.deliverDue()
    const [mail] = await smtp.waitFor(1)
    assert.deepEqual(mail!.envelopeTo, ['bob@acme.com'])
    assert.equal(mail!.header('bcc'), undefined)
    assert.equal(mail!.header('x-evil'), undefined)
    assert.equal(/^(Bcc|X-Evil):/im.test(mail!.raw.split(/\r?\n\r?\n/)[0]!), false)
    assert.equal(mail!.html.includes('<script>'), false)
    assert.ok(mail!.html.includes('&#60;script&#62;'))
    assert.ok(mail!.html.includes('Acme &#60;i&#62;R&#38;D&#60;/i&#62;'))
  })

  it(
    'sends no message so late in a pass that its claim could lapse: the rest go back untried',
    bounded,
    async () => {
      const smtp = r.smtp(await startSmtp())
      const t = r.app(await startTestApp({ env: smtpEnv(smtp.port) }))
      const { adminKey } = await t.account('Acme', ['acme.com'])
      for (const name of ['ann', 'ben', 'cat'])
        await t.post('/api/inviteUsers', adminKey, { inviteeEmail: `${name}@acme.com`, inviteeRole: 'GUEST' })
      // The first message is held at the SMTP server while the pass's time runs out (the claim
      // lasts 5 minutes; a message may take 50 s).
      smtp.hold()
      const pass = t.services.outbox.deliverDue()
      await smtp.waitForHeld(1)
      t.clock.advance(5 * 60_000)
      smtp.release()
      assert.deepEqual(await pass, { sent: 1, retrying: 0, failed: 0 })
      assert.equal(smtp.received.length, 1)
      const waiting = mailList(t, '--status', 'pending')
      assert.equal(waiting.length, 2)
      // Given back as they were: not counted as an attempt, and sent by the next pass.
      assert.deepEqual(
        waiting.map((m) => m.attempts),
        [0, 0],
      )
      assert.deepEqual(await t.services.outbox.deliverDue(), { sent: 2, retrying: 0, failed: 0 })
      assert.deepEqual(smtp.received.map((m) => m.envelopeTo[0]).sort(), [
        'ann@acme.com',
        'ben@acme.com',
        'cat@acme.com',
      ])
      assert.deepEqual(
        mailList(t, '--status', 'sent').map((m) => m.attempts),
        [1, 1, 1],
      )
    },
  )

  it('without SMTP_URL, writes the message with its link to the log', bounded, async () => {
    const lines: string[] = []
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) })
    const t = r.app(await startTestApp({ logger: pino({ level: 'info' }, sink) }))
    const { adminKey } = await t.account('Acme', ['acme.com'])
    const res = json(
      await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'bob@acme.com', inviteeRole: 'GUEST' }),
    )
    assert.deepEqual(await t.services.outbox.deliverDue(), { sent: 1, retrying: 0, failed: 0 })
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.to === 'bob@acme.com')
    assert.ok(logged.msg.includes(res.finalInviteCode))
    assert.equal(logged.subject, 'Ada invited you to join Acme')
  })
})
