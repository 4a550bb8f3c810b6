import type { Command } from 'commander'
import { LISTED_STATUSES } from '../../mail/mail.service.ts'
import type { MailStatus } from '../../mail/mail.table.ts'
import { AppError } from '../../shared/app-error.ts'
import { positiveInt, print, run } from '../context.ts'

function status(value: string): MailStatus {
  if (!(LISTED_STATUSES as readonly string[]).includes(value)) {
    throw new AppError('INVALID_ARGUMENT', `--status must be one of ${LISTED_STATUSES.join(', ')}`)
  }
  return value as MailStatus
}

export function mailCommands(program: Command) {
  const mail = program.command('mail').description('The email outbox')
  mail
    .command('list')
    .description('List outgoing messages and their delivery status (not their bodies)')
    .option('--status <status>', `only messages in this state: ${LISTED_STATUSES.join(', ')}`, status)
    .option('--account <id>', 'only this account', positiveInt('--account'))
    .option('--json', 'print one JSON line')
    .action((opts: { status?: MailStatus; account?: number; json?: boolean }) =>
      run(async ({ services }) => {
        const messages = await services.mail.list({ status: opts.status, accountId: opts.account })
        const lines = messages.map(
          (m) =>
            `${m.id}\t${m.status}\t${m.attempts}\t${m.to}\t${m.subject}${m.lastError ? `\t(${m.lastError})` : ''}`,
        )
        print(opts, { messages }, lines.length > 0 ? lines.join('\n') : 'No messages.')
      }),
    )
}
