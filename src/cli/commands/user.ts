import type { Command } from 'commander'
import { readPeopleCsv } from '../csv.ts'
import { positiveInt, print, run } from '../context.ts'
import { progressBar } from '../progress.ts'

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
    .command('import')
    .description(
      'Add everyone in a CSV file (header: email, optional name and role) as members, without invitations',
    )
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .requiredOption('--csv <file>', 'CSV file with a header row: email[,name][,role]')
    .option('--role <role>', 'role for rows without one', 'MEMBER')
    .option('--json', 'print one JSON line {added, failed, results}')
    .action((opts: { account: number; csv: string; role: string; json?: boolean }) =>
      run(async ({ services }) => {
        const { people, problems } = readPeopleCsv(opts.csv)
        const bar = progressBar(people.length, opts)
        const results = await services.memberImport
          .importMembers(opts.account, people, {
            defaultRole: opts.role,
            onProgress: (done) => bar.update(done),
          })
          .finally(() => bar.stop())
        const rows = [
          ...results.map((r, i) => ({ line: people[i]!.line, ...r })),
          ...problems.map((p) => ({
            line: p.line,
            email: '',
            ok: false as const,
            code: 'BAD_ROW',
            message: p.message,
          })),
        ].sort((a, b) => a.line - b.line)
        const added = rows.filter((r) => r.ok).length
        const failed = rows.length - added
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ added, failed, results: rows })}\n`)
        } else {
          for (const r of rows)
            if (!r.ok)
              process.stdout.write(`line ${r.line}: ${r.email || '(no email)'}: ${r.message} (${r.code})\n`)
          process.stdout.write(`Added ${added}, failed ${failed}.\n`)
        }
        if (failed > 0) process.exitCode = 1
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
        print(
          opts,
          result,
          `Password set for user ${result.userId}; ${result.sessionsEnded} session(s) ended.`,
        )
      }),
    )

  user
    .command('reset-two-factor')
    .description(
      'Turn two-factor off for a user who lost their authenticator and recovery codes (ends their sessions)',
    )
    .requiredOption('--email <email>', "the user's email")
    .option('--json', 'print one JSON line')
    .action((opts: { email: string; json?: boolean }) =>
      run(async ({ services }) => {
        const result = await services.mfa.operatorReset(opts.email)
        print(
          opts,
          result,
          `Two-factor turned off for user ${result.userId}; ${result.sessionsEnded} session(s) ended.`,
        )
      }),
    )
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
