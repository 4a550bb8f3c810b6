import type { Command } from 'commander'
import { positiveInt, print, run } from '../context.ts'

function collect(value: string, previous: string[] = []) {
  return [...previous, value]
}

/** Sign in with Roster: the applications of an account, and the provider's signing keys. */
export function oidcCommands(program: Command) {
  const client = program
    .command('oidc-client')
    .description('Applications that sign people in with Roster (OIDC clients)')
  client
    .command('create')
    .description('Add an application to an account; prints its client id and (once) its secret')
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .requiredOption('--name <name>', 'a label')
    .requiredOption('--redirect-uri <uri>', 'an exact redirect URI (repeatable)', collect)
    .option('--post-logout-redirect-uri <uri>', 'where sign-out may return to (repeatable)', collect)
    .option('--public', 'a public client: no secret, PKCE only')
    .option('--json', 'print one JSON line')
    .action(
      (opts: {
        account: number
        name: string
        redirectUri: string[]
        postLogoutRedirectUri?: string[]
        public?: boolean
        json?: boolean
      }) =>
        run(async ({ services }) => {
          await services.accounts.requireAccount(opts.account)
          const result = await services.oidcClients.addAsOperator(opts.account, {
            name: opts.name,
            redirectUris: opts.redirectUri,
            postLogoutRedirectUris: opts.postLogoutRedirectUri,
            public: opts.public === true,
          })
          const secret = result.clientSecret ? `\nClient secret (shown once): ${result.clientSecret}` : ''
          print(opts, result, `Client id: ${result.clientId}${secret}`)
        }),
    )

  client
    .command('list')
    .description("List an account's applications (never their secrets)")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const clients = await services.oidcClients.list(opts.account)
        const lines = clients.map(
          (c) =>
            `${c.clientId}\t${c.name}\t${c.public ? 'public' : 'confidential'}\t${c.redirectUris.join(' ')}`,
        )
        print(opts, { oidcClients: clients }, lines.length > 0 ? lines.join('\n') : 'No applications.')
      }),
    )

  client
    .command('delete')
    .description('Delete an application; its refresh tokens and grants stop working at once')
    .requiredOption('--client-id <id>', 'client id')
    .option('--json', 'print one JSON line')
    .action((opts: { clientId: string; json?: boolean }) =>
      run(async ({ services }) => {
        const result = await services.oidcClients.deleteAsOperator(opts.clientId)
        print(opts, result, `Deleted application ${opts.clientId}.`)
      }),
    )

  program
    .command('oidc')
    .description('The OpenID Provider')
    .command('rotate-keys')
    .description(
      'Add a signing key that signs from now on (old keys stay in the JWKS); --retire removes the old ones',
    )
    .option('--retire', 'retire every signing key but the newest')
    .option('--json', 'print one JSON line')
    .action((opts: { retire?: boolean; json?: boolean }) =>
      run(async ({ services }) => {
        if (opts.retire) {
          const retired = await services.oidc.keys.retireOld()
          print(
            opts,
            { retired },
            retired.length > 0 ? `Retired keys: ${retired.join(', ')}` : 'No old keys to retire.',
          )
        } else {
          const kid = await services.oidc.keys.rotate()
          print(
            opts,
            { kid },
            `New signing key ${kid} signs from now on; old keys still verify until --retire.`,
          )
        }
      }),
    )
}
