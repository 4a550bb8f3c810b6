import type { Command } from 'commander'
import { positiveInt, print, run } from '../context.ts'

export function accountCommands(program: Command) {
  const account = program.command('account').description('Accounts (workspaces)')
  account
    .command('create')
    .description('Create an account with its first ADMIN and an API key for them')
    .requiredOption('--name <name>', 'account name')
    .requiredOption(
      '--domain <domain>',
      'an email domain of the organisation (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .requiredOption('--admin-email <email>', "the first ADMIN's email")
    .option('--admin-name <name>', "the first ADMIN's name")
    .option('--json', 'print one JSON line')
    .action(
      (opts: { name: string; domain: string[]; adminEmail: string; adminName?: string; json?: boolean }) =>
        run(async ({ services }) => {
          const result = await services.accounts.createAccount({
            name: opts.name,
            domains: opts.domain,
            adminEmail: opts.adminEmail,
            adminName: opts.adminName,
          })
          print(
            opts,
            result,
            `Created account ${result.accountId} with ADMIN user ${result.userId}. API key (shown once): ${result.apiKey}`,
          )
        }),
    )

  account
    .command('delete')
    .description(
      'Delete an account with its members, invitations, roles and keys (people keep their other accounts)',
    )
    .requiredOption('--id <id>', 'account id', positiveInt('--id'))
    .option('--json', 'print one JSON line')
    .action((opts: { id: number; json?: boolean }) =>
      run(async ({ services }) => {
        const result = await services.accounts.deleteAccount(opts.id)
        print(opts, result, `Deleted account ${opts.id}.`)
      }),
    )
}
