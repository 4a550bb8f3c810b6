/**
 * The outbox worker. Messages are committed with the change they announce; this delivers them.
 * Each message is claimed by a guarded update (two instances sharing a database never both take
 * it), sent, and settled by the claim's holder: sent, retried later with exponential backoff, or
 * after the last attempt failed. A pass claims an account's due messages together, sends them,
 * then settles them together. Claims expire, so a message held by a worker that died is taken
 * up again: delivery is at least once (a worker that dies mid-batch resends that batch's sent
 * messages after the claim expires), never twice by two live workers.
 */
import { randomBytes } from 'node:crypto'
import type { Transaction } from 'kysely'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import type { Database } from '../db/schema.ts'
import type { Deps } from '../shared/deps.ts'
import { claimDueMail, findDueMail, settleMail, settleSentMail } from './mail.repository.ts'
import type { MailTransport } from './mail.transport.ts'

/** How long a claim lasts: well beyond the SMTP timeouts of one send. */
const CLAIM_MS = 5 * 60_000
const BATCH = 20

export interface PassResult {
  sent: number
  retrying: number
  failed: number
}

export function backoffMs(deps: Deps, attempts: number): number {
  const { mailRetryBaseMs, mailRetryMaxMs } = deps.config
  return Math.min(mailRetryMaxMs, mailRetryBaseMs * 2 ** Math.max(0, attempts - 1))
}

export function mailOutbox(deps: Deps, transport: MailTransport) {
  const { db } = deps.database
  let timer: NodeJS.Timeout | undefined
  let running: Promise<PassResult> | undefined
  let started = false

  type Claimed = Awaited<ReturnType<typeof claimDueMail>>[number]
  type Outcome = { message: Claimed; error?: unknown }

  /** Sends one account's claimed messages; what happened to each, in order. */
  async function send(messages: Claimed[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = []
    for (const message of messages) {
      try {
        await transport.send({
          to: message.recipient,
          subject: message.subject,
          text: message.text_body,
          html: message.html_body,
        })
        outcomes.push({ message })
      } catch (error) {
        outcomes.push({ message, error })
      }
    }
    return outcomes
  }

  /** Records the outcomes under the claim: sent, retried later, or failed after the last attempt. */
  async function settle(trx: Transaction<Database>, token: string, outcomes: Outcome[], result: PassResult) {
    const sent = outcomes.filter((o) => o.error === undefined).map((o) => o.message.id)
    // Without SMTP the message only reached the log: say so, not `sent`.
    await settleSentMail(trx, sent, token, deps.clock(), transport.kind === 'log' ? 'logged' : 'sent')
    result.sent += sent.length
    for (const { message, error } of outcomes) {
      if (error === undefined) continue
      const now = deps.clock()
      const reason = error instanceof Error ? error.message : String(error)
      if (message.attempts >= deps.config.mailMaxAttempts) {
        await settleMail(trx, message.id, token, { status: 'failed', now, error: reason })
        await audit(trx, null, {
          accountId: message.account_id,
          action: 'mail.failed',
          target: message.recipient,
          details: { attempts: message.attempts, error: reason.slice(0, 200) },
          now,
        })
        deps.log.error(
          { mailId: message.id, attempts: message.attempts, err: error },
          'mail delivery failed for good',
        )
        result.failed++
      } else {
        const nextAttemptAt = now + backoffMs(deps, message.attempts)
        await settleMail(trx, message.id, token, { status: 'pending', now, nextAttemptAt, error: reason })
        deps.log.warn(
          { mailId: message.id, attempts: message.attempts, nextAttemptAt, err: error },
          'mail delivery failed; will retry',
        )
        result.retrying++
      }
    }
  }

  async function deliver(): Promise<PassResult> {
    const result: PassResult = { sent: 0, retrying: 0, failed: 0 }
    const now = deps.clock()
    for (;;) {
      const due = await findDueMail(db, now, BATCH)
      let claimedAny = false
      const byAccount = new Map<number, typeof due>()
      for (const seen of due) {
        const same = byAccount.get(seen.account_id)
        if (same) same.push(seen)
        else byAccount.set(seen.account_id, [seen])
      }
      for (const [accountId, seen] of byAccount) {
        // Claims and outcomes are account transactions (the team list shows each email's
        // status), one each per account and batch rather than per message.
        const token = randomBytes(16).toString('hex')
        // Those another worker took meanwhile are no longer due, and are not returned.
        const claimed = await inAccountTransaction(deps, accountId, (trx) => {
          const at = deps.clock()
          return claimDueMail(
            trx,
            seen.map((s) => s.id),
            at,
            { token, until: at + CLAIM_MS },
          )
        })
        if (claimed.length === 0) continue
        claimedAny = true
        const outcomes = await send(claimed)
        await inAccountTransaction(deps, accountId, (trx) => settle(trx, token, outcomes, result))
      }
      if (due.length < BATCH || !claimedAny) return result
    }
  }

  /** One delivery pass; concurrent callers share the pass in progress. */
  function deliverDue(): Promise<PassResult> {
    running ??= deliver().finally(() => (running = undefined))
    return running
  }

  function schedule(delay: number) {
    if (!started) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      deliverDue()
        .catch((error: unknown) => deps.log.warn({ err: error }, 'mail outbox pass failed'))
        .finally(() => schedule(deps.config.mailPollMs))
    }, delay)
    timer.unref()
  }

  return {
    transportKind: transport.kind,
    deliverDue,
    /** Polls every MAIL_POLL_MS until stop(). */
    start() {
      if (started) return
      started = true
      schedule(0)
    },
    /** A message was just committed: deliver it now rather than at the next poll. */
    kick() {
      if (!started) return
      if (running) void running.finally(() => schedule(0))
      else schedule(0)
    },
    async stop() {
      started = false
      clearTimeout(timer)
      await running?.catch(() => {})
      transport.close()
    },
  }
}

export type MailOutbox = ReturnType<typeof mailOutbox>
