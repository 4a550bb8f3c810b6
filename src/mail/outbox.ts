/**
 * Mail as one kind of the outbox (outbox/worker.ts): messages are claimed per account (the team
 * list shows each email's status, so claims and outcomes are account transactions), sent over
 * the transport one by one, and settled together: the sent ones in one statement.
 */
import type { Transaction } from 'kysely'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import type { Database } from '../db/schema.ts'
import { outboxWorker, type Attempt, type OutboxKind, type Settled } from '../outbox/worker.ts'
import type { Deps } from '../shared/deps.ts'
import { renderStored } from './mail-content.ts'
import { claimDueMail, findDueMail, releaseMail, settleMail, settleSentMail } from './mail.repository.ts'
import { SMTP_MESSAGE_MAX_MS, type MailTransport } from './mail.transport.ts'

type Claimed = Awaited<ReturnType<typeof claimDueMail>>[number]

/**
 * A queued message is looked for this long after it is announced, not at once. A pass claims and
 * settles each account's messages in two of its account transactions, which that account's
 * invitations wait for: under a stream of invitations, a pass per invitation made the stream
 * wait on the worker (docs/benchmarks.md). Gathered, one pass takes a stream's messages by the
 * dozen, at no cost a person reading email would notice.
 */
const GATHER_MS = 200

export function mailOutbox(deps: Deps, transport: MailTransport) {
  const { db } = deps.database

  async function settle(
    trx: Transaction<Database>,
    token: string,
    outcomes: Settled<Claimed>[],
    now: number,
  ) {
    const ids = (kind: Settled<Claimed>['decision']['kind']) =>
      outcomes.filter((o) => o.decision.kind === kind).map((o) => o.item.id)
    // Without SMTP the message only reached the log: say so, not `sent`.
    await settleSentMail(trx, ids('delivered'), token, now, transport.kind === 'log' ? 'logged' : 'sent')
    await releaseMail(trx, ids('released'), token)
    for (const { item: message, error, decision } of outcomes) {
      const reason = error ?? ''
      if (decision.kind === 'failed') {
        await settleMail(trx, message.id, token, { status: 'failed', now, error: reason })
        await audit(trx, null, {
          accountId: message.account_id,
          action: 'mail.failed',
          target: message.recipient,
          details: { attempts: message.attempts, error: reason.slice(0, 200) },
          now,
        })
        deps.log.error(
          { mailId: message.id, attempts: message.attempts, err: reason },
          'mail delivery failed for good',
        )
      } else if (decision.kind === 'retry') {
        await settleMail(trx, message.id, token, {
          status: 'pending',
          now,
          nextAttemptAt: decision.at,
          error: reason,
        })
        deps.log.warn(
          { mailId: message.id, attempts: message.attempts, nextAttemptAt: decision.at, err: reason },
          'mail delivery failed; will retry',
        )
      }
    }
  }

  const kind: OutboxKind<Claimed> = {
    name: 'mail',
    pollMs: deps.config.mailPollMs,
    retry: {
      maxAttempts: deps.config.mailMaxAttempts,
      baseMs: deps.config.mailRetryBaseMs,
      maxMs: deps.config.mailRetryMaxMs,
      jitter: false,
    },
    claimMs: 5 * 60_000,
    attemptMaxMs: SMTP_MESSAGE_MAX_MS,
    kickDelayMs: GATHER_MS,
    async findDue(now, limit) {
      const due = await findDueMail(db, now, limit)
      return due.map((d) => ({ id: d.id, group: d.account_id }))
    },
    transaction: (accountId, work) => inAccountTransaction(deps, accountId, work),
    claim: claimDueMail,
    async send(messages, lastStart) {
      const outcomes: Attempt<Claimed>[] = []
      for (const message of messages) {
        if (deps.clock() > lastStart) {
          outcomes.push({ item: message, skipped: true })
          continue
        }
        try {
          await transport.send({ to: message.recipient, ...renderStored(message) })
          outcomes.push({ item: message })
        } catch (error) {
          outcomes.push({ item: message, error: error instanceof Error ? error.message : String(error) })
        }
      }
      return outcomes
    },
    settle,
  }

  const worker = outboxWorker(
    kind,
    deps.clock,
    deps.log,
    () => transport.close(),
    // Without SMTP the message went to the log, which is not delivering it to anyone.
    (result) =>
      deps.metrics?.deliveryAttempts.inc({
        outbox: 'mail',
        result: result === 'delivered' && transport.kind === 'log' ? 'logged' : result,
      }),
  )
  return { transportKind: transport.kind, ...worker }
}

export type MailOutbox = ReturnType<typeof mailOutbox>
