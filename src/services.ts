/** Builds every service from the shared dependencies: the CLI and the HTTP app use the same set. */
import { accountService } from './accounts/account.service.ts'
import { apiKeyService } from './api-keys/api-key.service.ts'
import { auditQuery } from './audit/audit.query.ts'
import { acceptanceService } from './invitations/acceptance.service.ts'
import { invitationService } from './invitations/invitation.service.ts'
import { customRoleService } from './roles/custom-role.service.ts'
import { deleteSessionsOfMember } from './sessions/session.repository.ts'
import { sessionService } from './sessions/session.service.ts'
import { createMailTransport } from './mail/mail.transport.ts'
import { mailOutbox } from './mail/outbox.ts'
import { mailService } from './mail/mail.service.ts'
import { setupService } from './setup/setup.service.ts'
import type { Deps } from './shared/deps.ts'
import { SigningKeys } from './signing-keys/signing-key.service.ts'
import { teamService } from './team/team.service.ts'
import { oidcClientService } from './oidc/oidc-client.service.ts'
import { deleteForMember } from './oidc/oidc-payload.repository.ts'
import { oidcService } from './oidc/oidc.service.ts'

export async function createServices(deps: Deps) {
  const signingKeys = new SigningKeys(deps.database.db, deps.clock)
  await signingKeys.ensure()
  const sessions = sessionService(deps)
  const oidc = oidcService(deps)
  await oidc.keys.ensure()
  const outbox = mailOutbox(deps, createMailTransport(deps.config, deps.log))
  return {
    signingKeys,
    accounts: accountService(deps),
    apiKeys: apiKeyService(deps),
    // A removed member's sessions, and grants and tokens of the account's applications, end with
    // the removal, in its transaction.
    team: teamService(deps, [deleteSessionsOfMember, deleteForMember]),
    sessions,
    setup: setupService(deps, sessions),
    acceptance: acceptanceService(deps, signingKeys, sessions),
    invitations: invitationService(deps, signingKeys, () => outbox.kick()),
    outbox,
    mail: mailService(deps),
    customRoles: customRoleService(deps),
    audit: auditQuery(deps),
    oidc,
    oidcClients: oidcClientService(deps),
  }
}

export type Services = Awaited<ReturnType<typeof createServices>>
