/** Builds every service from the shared dependencies: the CLI and the HTTP app use the same set. */
import { accountService } from './accounts/account.service.ts'
import { memberImportService } from './accounts/member-import.service.ts'
import { apiKeyService } from './api-keys/api-key.service.ts'
import { aktoAuditLog } from './audit/akto-audit-log.ts'
import { auditQuery } from './audit/audit.query.ts'
import { acceptanceService } from './invitations/acceptance.service.ts'
import { invitationService } from './invitations/invitation.service.ts'
import { bulkInvitationService } from './invitations/bulk-invitation.service.ts'
import { customRoleService } from './roles/custom-role.service.ts'
import { deleteSessionsOfMember } from './sessions/session.repository.ts'
import { sessionService } from './sessions/session.service.ts'
import { createMailTransport } from './mail/mail.transport.ts'
import { mailOutbox } from './mail/outbox.ts'
import { webhookOutbox } from './webhooks/webhook.outbox.ts'
import { webhookService } from './webhooks/webhook.service.ts'
import { mailService } from './mail/mail.service.ts'
import { mfaService } from './mfa/mfa.service.ts'
import { passkeyService } from './passkeys/passkey.service.ts'
import { passwordResetService } from './password-reset/password-reset.service.ts'
import { setupService } from './setup/setup.service.ts'
import { aktoSso } from './sso/akto-sso.ts'
import { ssoConfigService } from './sso/sso-config.service.ts'
import { ssoSignInService } from './sso/sso-signin.service.ts'
import type { Deps } from './shared/deps.ts'
import { SigningKeys } from './signing-keys/signing-key.service.ts'
import { memberPasswordResetService } from './team/member-password-reset.service.ts'
import { teamService } from './team/team.service.ts'
import { teamListingService } from './team/team-listing.service.ts'
import { provisioningService } from './team/provisioning.service.ts'
import { scimTokenService } from './scim/scim-token.service.ts'
import { scimService } from './scim/scim.service.ts'
import { oidcClientService } from './oidc/oidc-client.service.ts'
import { deleteForMember } from './oidc/oidc-payload.repository.ts'
import { oidcService } from './oidc/oidc.service.ts'

export async function createServices(deps: Deps) {
  const signingKeys = new SigningKeys(deps.database.db, deps.clock)
  await signingKeys.ensure()
  const sessions = sessionService(deps)
  // SCIM's member changes: the same hooks end a removed or suspended member's access (sessions,
  // and the grants and tokens of the account's applications).
  const provisioning = provisioningService(deps, [deleteSessionsOfMember, deleteForMember])
  const oidc = oidcService(deps)
  await oidc.keys.ensure()
  const outbox = mailOutbox(deps, createMailTransport(deps.config, deps.log))
  const acceptance = acceptanceService(deps, signingKeys, sessions)
  // The same outbox worker, delivering webhook events (fanned out from the audit log each change writes).
  const webhookDeliveries = webhookOutbox(deps)
  const accounts = accountService(deps)
  const invitations = invitationService(deps, signingKeys, () => outbox.kick())
  const ssoConfig = ssoConfigService(deps)
  const customRoles = customRoleService(deps)
  return {
    signingKeys,
    accounts,
    memberImport: memberImportService(deps, accounts),
    apiKeys: apiKeyService(deps),
    // A removed member's sessions, and grants and tokens of the account's applications, end with
    // the removal, in its transaction.
    team: teamService(deps, [deleteSessionsOfMember, deleteForMember]),
    teamListing: teamListingService(deps, signingKeys),
    provisioning,
    scim: scimService(deps, provisioning, customRoles),
    scimTokens: scimTokenService(deps),
    sessions,
    setup: setupService(deps, sessions),
    acceptance,
    ssoConfig,
    aktoSso: aktoSso(ssoConfig),
    ssoSignIn: ssoSignInService(deps, acceptance, sessions),
    invitations,
    bulkInvitations: bulkInvitationService(invitations),
    outbox,
    webhookDeliveries,
    webhooks: webhookService(deps, webhookDeliveries),
    mail: mailService(deps),
    customRoles,
    audit: auditQuery(deps),
    passwordReset: passwordResetService(deps, sessions, () => outbox.kick()),
    mfa: mfaService(deps, sessions),
    passkeys: passkeyService(deps, sessions),
    aktoAudit: aktoAuditLog(deps),
    memberPasswordResets: memberPasswordResetService(deps, () => outbox.kick()),
    oidc,
    oidcClients: oidcClientService(deps),
  }
}

export type Services = Awaited<ReturnType<typeof createServices>>
