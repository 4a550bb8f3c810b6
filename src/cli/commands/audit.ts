import type { Command } from 'commander'
import { positiveInt, print, run } from '../context.ts'

export function auditCommands(program: Command) {
  program
    .command('audit')
    .description('The audit log')
    .command('list')
    .description("An account's audit log, newest first")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--limit <n>', 'entries per page (1-200)', positiveInt('--limit'), 50)
    .option('--before <id>', 'entries older than this id', positiveInt('--before'))
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; limit: number; before?: number; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const page = await services.audit.forAccount(opts.account, Math.min(opts.limit, 200), opts.before)
        const lines = page.auditLogs.map(
          (e) =>
            `${new Date(e.timestamp).toISOString()}\t${e.action}\t${e.actorEmail ?? 'operator'}\t${e.target ?? ''}`,
        )
        print(opts, page, lines.length > 0 ? lines.join('\n') : 'No audit events.')
      }),
    )
}
