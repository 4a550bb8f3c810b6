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
        const result = await services.accounts.addUser({
          accountId: opts.account,
          email: opts.email,
          name: opts.name,
          role: opts.role,
        })
        print(
          opts,
          result,
          `Added ${opts.email.trim().toLowerCase()} to account ${opts.account} as user ${result.userId}.`,
        )
      }),
    )

  user
    .command('set-password')
    .description("Set a user's password, read from the first line of standard input (never an argument)")
    .requiredOption('--email <email>', "the user's email")
    .option('--json', 'print one JSON line')
    .action((opts: { email: string; json?: boolean }) =>
      run(async ({ services }) => {
        const password = (await readStdin()).split(/\r?\n/)[0] ?? ''
        const result = await services.accounts.setPassword({ email: opts.email, password })
        print(opts, result, `Password set for user ${result.userId}.`)
      }),
    )
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
