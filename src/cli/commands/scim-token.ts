import type { Command } from 'commander'
import { positiveInt, print, run } from '../context.ts'

export function scimTokenCommands(program: Command) {
  const scimToken = program
    .command('scim-token')
    .description("SCIM tokens: an identity provider's access to one account")
  scimToken
    .command('create')
    .description('Create a SCIM bearer token for an account (shown once)')
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--name <name>', 'a label for the token', 'scim')
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; name: string; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const { id, token } = await services.scimTokens.createForAccount(opts.account, opts.name)
        print(opts, { token, id }, `Created SCIM token ${id} (shown once): ${token}`)
      }),
    )

  scimToken
    .command('list')
    .description("List an account's live SCIM tokens (never the tokens themselves)")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const tokens = await services.scimTokens.listForAccount(opts.account)
        const lines = tokens.map((t) => `${t.id}\t${t.prefix}…\t${t.name}`)
        print(opts, { scimTokens: tokens }, lines.length > 0 ? lines.join('\n') : 'No SCIM tokens.')
      }),
    )

  scimToken
    .command('revoke')
    .description('Revoke a SCIM token; it stops working at once')
    .requiredOption('--id <id>', 'SCIM token id', positiveInt('--id'))
    .option('--json', 'print one JSON line')
    .action((opts: { id: number; json?: boolean }) =>
      run(async ({ services }) => {
        const result = await services.scimTokens.revokeById(opts.id)
        print(opts, result, `Revoked SCIM token ${opts.id}.`)
      }),
    )
}
