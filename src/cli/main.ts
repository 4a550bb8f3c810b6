/** The operator CLI: `npm run -s roster -- <command>`. A thin client of the services. */
import { Command, CommanderError } from 'commander'
import { accountCommands } from './commands/account.ts'
import { apiKeyCommands } from './commands/api-key.ts'
import { mailCommands } from './commands/mail.ts'
import { auditCommands } from './commands/audit.ts'
import { dbCommands } from './commands/db.ts'
import { migrateCommand } from './commands/migrate.ts'
import { ssoCommands } from './commands/sso.ts'
import { oidcCommands } from './commands/oidc.ts'
import { userCommands } from './commands/user.ts'
import { webhookCommands } from './commands/webhook.ts'
import { inviteCommand } from './commands/invite.ts'
import { scimTokenCommands } from './commands/scim-token.ts'
import { AppError } from '../shared/app-error.ts'

const program = new Command('roster').description('Roster operator commands').exitOverride()
accountCommands(program)
userCommands(program)
inviteCommand(program)
apiKeyCommands(program)
scimTokenCommands(program)
mailCommands(program)
auditCommands(program)
webhookCommands(program)
migrateCommand(program)
dbCommands(program)
ssoCommands(program)
oidcCommands(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode
  } else {
    // Option parsers throw AppError for bad values (e.g. --account abc).
    const message = error instanceof AppError || error instanceof Error ? error.message : String(error)
    process.stderr.write(`roster: ${message}\n`)
    process.exitCode = 1
  }
}
