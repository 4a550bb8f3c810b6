import type { Command } from 'commander'
import { positiveInt, print, run } from '../context.ts'

export function apiKeyCommands(program: Command) {
  const apiKey = program.command('api-key').description('API keys')
  apiKey
    .command('create')
    .description("Create an API key acting as a member, with the member's role")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .requiredOption('--email <email>', "the member's email")
    .option('--name <name>', 'a label for the key', 'cli')
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; email: string; name: string; json?: boolean }) =>
      run(async ({ services }) => {
        const result = await services.accounts.createApiKey({
          accountId: opts.account,
          email: opts.email,
          name: opts.name,
        })
        print(opts, result, `Created API key ${result.id} (shown once): ${result.apiKey}`)
      }),
    )

  apiKey
    .command('list')
    .description("List an account's API keys (never the keys themselves)")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const keys = await services.apiKeys.listForAccount(opts.account)
        const lines = keys.map(
          (k) =>
            `${k.id}\t${k.keyPrefix}…\t${k.name}\t${k.email}\t${k.revokedAt === null ? 'active' : 'revoked'}`,
        )
        print(opts, { apiKeys: keys }, lines.length > 0 ? lines.join('\n') : 'No API keys.')
      }),
    )

  apiKey
    .command('revoke')
    .description('Revoke an API key; it stops working at once')
    .requiredOption('--id <id>', 'API key id', positiveInt('--id'))
    .option('--json', 'print one JSON line')
    .action((opts: { id: number; json?: boolean }) =>
      run(async ({ services }) => {
        const result = await services.accounts.revokeApiKey(opts.id)
        print(opts, result, `Revoked API key ${opts.id}.`)
      }),
    )
}
