import type { Command } from 'commander'
import { positiveInt, print, readOptionFile, run } from '../context.ts'

interface SetOptions {
  account: number
  oidcIssuer?: string
  clientId?: string
  clientSecret?: string
  scopes?: string
  samlMetadata?: string
  required?: boolean
  breakGlass?: string
  jitRole?: string
  json?: boolean
}

export function ssoCommands(program: Command) {
  const sso = program.command('sso').description("An account's single sign-on (its identity provider)")

  sso
    .command('set')
    .description('Set the OIDC or SAML identity provider of an account')
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--oidc-issuer <url>', 'OIDC issuer URL')
    .option('--client-id <id>', 'OIDC client id')
    .option('--client-secret <secret>', 'OIDC client secret')
    .option('--scopes <scopes>', 'extra OIDC scopes, space-separated')
    .option('--saml-metadata <file>', "the IdP's SAML metadata XML file")
    .option('--required', "refuse passwords for the account's members")
    .option('--break-glass <email>', 'an ADMIN who may still use a password when SSO is required')
    .option('--jit-role <role>', "role anyone from the account's domains joins with")
    .option('--json', 'print one JSON line')
    .action((opts: SetOptions) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const input = opts.samlMetadata
          ? { samlMetadata: readOptionFile('--saml-metadata', opts.samlMetadata).toString('utf8') }
          : {
              issuer: opts.oidcIssuer,
              clientId: opts.clientId,
              clientSecret: opts.clientSecret,
              scopes: opts.scopes,
            }
        const view = await services.ssoConfig.set(
          null,
          {
            ...input,
            required: Boolean(opts.required),
            breakGlassEmail: opts.breakGlass,
            jitRole: opts.jitRole,
          },
          {},
          opts.account,
        )
        print(opts, view, describe(view))
      }),
    )

  sso
    .command('show')
    .description("An account's single sign-on and the values its IdP needs")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const view = await services.ssoConfig.get(null, opts.account)
        print(opts, view, describe(view))
      }),
    )

  sso
    .command('remove')
    .description("Remove an account's single sign-on")
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .option('--json', 'print one JSON line')
    .action((opts: { account: number; json?: boolean }) =>
      run(async ({ services }) => {
        await services.accounts.requireAccount(opts.account)
        const view = await services.ssoConfig.remove(null, {}, opts.account)
        print(opts, view, 'Single sign-on removed.')
      }),
    )
}

function describe(
  v: Awaited<ReturnType<import('../../sso/sso-config.service.ts').SsoConfigService['get']>>,
): string {
  const idp =
    v.protocol === 'oidc'
      ? `OIDC ${v.issuer} (client ${v.clientId})`
      : v.protocol === 'saml'
        ? `SAML ${v.samlEntityId}`
        : 'not configured'
  return [
    `Identity provider: ${idp}`,
    `Required: ${v.required ? `yes (break-glass: ${v.breakGlassEmail ?? 'none'})` : 'no'}`,
    `JIT role: ${v.jitRole ?? 'none'}`,
    `OIDC redirect URI: ${v.redirectUri}`,
    `SAML entity id: ${v.spEntityId}`,
    `SAML ACS URL: ${v.acsUrl}`,
  ].join('\n')
}
