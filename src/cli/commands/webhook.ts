import type { Command } from 'commander'
import { AppError } from '../../shared/app-error.ts'
import type { DeliveryStatus } from '../../webhooks/webhook.table.ts'
import { positiveInt, print, run } from '../context.ts'

const STATUSES = ['pending', 'delivered', 'failed'] as const

function status(value: string): DeliveryStatus {
  if (!(STATUSES as readonly string[]).includes(value))
    throw new AppError('INVALID_ARGUMENT', `--status must be one of ${STATUSES.join(', ')}`)
  return value as DeliveryStatus
}

export function webhookCommands(program: Command) {
  const webhook = program
    .command('webhook')
    .description("An account's webhook endpoints and their deliveries")
  webhook
    .command('create')
    .description('Add an endpoint; prints its signing secret, shown this once')
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .requiredOption('--url <url>', 'https:// URL of the receiver')
    .option('--events <types>', 'comma-separated event types (default: every type)')
    .option('--description <text>', 'a note for the list')
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; url: string; events?: string; description?: string; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const events = opts.events
          ?.split(',')
          .map((e) => e.trim())
          .filter(Boolean)
        const created = await services.webhooks.operator.create(opts.account, {
          url: opts.url,
          events,
          description: opts.description,
        })
        print(
          opts,
          { id: created.id, secret: created.secret },
          `${created.id}\t${created.url}\nsecret (shown once): ${created.secret}`,
        )
      }),
    )
  webhook
    .command('list')
    .description("An account's endpoints")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const list = await services.webhooks.operator.list(opts.account)
        const lines = list.webhooks.map(
          (w) => `${w.id}\t${w.disabled ? 'disabled' : 'enabled'}\t${w.url}\t${w.events.join(',') || '*'}`,
        )
        print(opts, list, lines.length > 0 ? lines.join('\n') : 'No webhooks.')
      }),
    )
  webhook
    .command('deliveries')
    .description("An account's delivery log, newest first")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--status <status>', `only deliveries in this state: ${STATUSES.join(', ')}`, status)
    .option('--webhook <id>', 'only this endpoint', positiveInt('--webhook'))
    .option('--limit <n>', 'entries (1-200)', positiveInt('--limit'), 50)
    .option('--json', 'print one JSON line')
    .action(
      (opts: { account: number; status?: DeliveryStatus; webhook?: number; limit: number; json?: boolean }) =>
        run(async ({ services }) => {
          await services.accounts.requireAccount(opts.account)
          const page = await services.webhooks.operator.deliveries(opts.account, {
            status: opts.status,
            webhookId: opts.webhook,
            limit: Math.min(opts.limit, 200),
          })
          const lines = page.deliveries.map(
            (d) =>
              `${d.id}\t${d.status}\t${d.attempts}\t${d.type}\t${d.lastStatusCode ?? '-'}${d.lastError ? `\t(${d.lastError})` : ''}`,
          )
          print(opts, page, lines.length > 0 ? lines.join('\n') : 'No deliveries.')
        }),
    )
}
