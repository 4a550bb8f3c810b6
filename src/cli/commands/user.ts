import type { Command } from 'commander'
import { positiveInt, print, run } from '../context.ts'

export function userCommands(program: Command) {
  const user = program.command('user').description('Members')
  user
    .command('add')
    .description('Add a member directly, without an invitation (operator shortcut)')
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .requiredOption('--email <email>', "the member's email")
    .option('--name <name>', "the member's name")
    .requiredOption('--role <role>', 'ADMIN, MEMBER, DEVELOPER, GUEST or a custom role')
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; email: string; name?: string; role: string; json?: boolean }) =>
      run(async ({ services }) => {
        const result = await services.accounts.addUser({ accountId: opts.account, email: opts.email, name: opts.name, role: opts.role })
        print(opts, result, `Added ${opts.email.trim().toLowerCase()} to account ${opts.account} as user ${result.userId}.`)
      }),
    )
}
