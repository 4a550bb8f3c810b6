import type { Command } from 'commander'
import { readPeopleCsv } from '../csv.ts'
import { positiveInt, run } from '../context.ts'
import { progressBar } from '../progress.ts'

/** `roster invite --csv`: many invitations as a member (--as), each through the invitation use case. */
export function inviteCommand(program: Command) {
  program
    .command('invite')
    .description(
      'Invite everyone in a CSV file (header: email, optional name and role) as a member of the account',
    )
    .requiredOption('--account <id>', 'account id', positiveInt('--account'))
    .requiredOption('--as <email>', 'the member who invites (their role and flood limits apply)')
    .requiredOption('--csv <file>', 'CSV file with a header row: email[,name][,role]')
    .option('--role <role>', 'role for rows without one', 'MEMBER')
    .option('--json', 'print one JSON line {invited, failed, results}')
    .action((opts: { account: number; as: string; csv: string; role: string; json?: boolean }) =>
      run(async ({ services }) => {
        const { people, problems } = readPeopleCsv(opts.csv)
        const ctx = {
          actor: await services.accounts.actorFor(opts.account, opts.as),
          ip: null,
          userAgent: 'roster-cli',
        }
        const bar = progressBar(people.length, opts)
        const results = await services.bulkInvitations
          .inviteMany(
            ctx,
            people.map((p) => ({
              inviteeEmail: p.email,
              inviteeName: p.name,
              inviteeRole: p.role ?? opts.role,
            })),
            { onRow: (done) => bar.update(done) },
          )
          .finally(() => bar.stop())
        const rows = [
          ...results.map((r, i) => ({ line: people[i]!.line, ...r })),
          ...problems.map((p) => ({
            line: p.line,
            inviteeEmail: '',
            ok: false as const,
            code: 'BAD_ROW',
            message: p.message,
          })),
        ].sort((a, b) => a.line - b.line)
        const invited = rows.filter((r) => r.ok).length
        const failed = rows.length - invited
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ invited, failed, results: rows })}\n`)
        } else {
          for (const r of rows)
            if (!r.ok)
              process.stdout.write(
                `line ${r.line}: ${r.inviteeEmail || '(no email)'}: ${r.message} (${r.code})\n`,
              )
          process.stdout.write(`Invited ${invited}, failed ${failed}.\n`)
        }
        if (failed > 0) process.exitCode = 1
      }),
    )
}
