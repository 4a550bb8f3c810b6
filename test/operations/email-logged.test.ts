import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { json, startTestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'
import { startSmtp } from '../helpers/smtp.ts'

type Entry = { login: string; emailStatus?: string }

/** Invites bob@acme.com, runs one outbox pass, and returns his emailStatus and `mail list --status X`. */
async function inviteAndDeliver(env: Record<string, string>, listed: string) {
  const t = await startTestApp({ env })
  try {
    const { adminKey } = await t.account('Acme', ['acme.com'])
    assert.equal(
      (await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'bob@acme.com', inviteeRole: 'GUEST' }))
        .statusCode,
      200,
    )
    await t.services.outbox.deliverDue()
    const team = json<Entry[]>(await t.post('/api/getTeamData', adminKey))
    const cli = await roster(['mail', 'list', '--status', listed, '--json'], { DATABASE_URL: t.testDb.url })
    assert.equal(cli.code, 0, cli.stderr)
    const messages = (JSON.parse(cli.stdout) as { messages: { to: string; status: string }[] }).messages
    return { status: team.find((e) => e.login === 'bob@acme.com')?.emailStatus, messages }
  } finally {
    await t.close()
  }
}

describe('emailStatus when no SMTP server is configured', () => {
  it('is logged, not sent, when the message only went to the log', async () => {
    const { status, messages } = await inviteAndDeliver({}, 'logged')
    assert.equal(status, 'logged')
    assert.deepEqual(
      messages.map((m) => [m.to, m.status]),
      [['bob@acme.com', 'logged']],
    )
  })

  it('is sent when an SMTP server took the message', async () => {
    const smtp = await startSmtp()
    try {
      const { status, messages } = await inviteAndDeliver(
        { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
        'sent',
      )
      assert.equal(status, 'sent')
      assert.deepEqual(
        messages.map((m) => [m.to, m.status]),
        [['bob@acme.com', 'sent']],
      )
      assert.equal(smtp.received.length, 1)
    } finally {
      await smtp.close()
    }
  })
})
