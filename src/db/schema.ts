import type { AccountDomainTable, AccountTable } from '../accounts/account.table.ts'
import type { ApiKeyTable } from '../api-keys/api-key.table.ts'
import type { AuditEventTable } from '../audit/audit.table.ts'
import type { InvitationTable } from '../invitations/invitation.table.ts'
import type { InviteBucketTable } from '../invitations/invite-bucket.table.ts'
import type { MfaChallengeTable, RecoveryCodeTable, TotpFactorTable } from '../mfa/mfa.table.ts'
import type { PasskeyTable, WebauthnChallengeTable } from '../passkeys/passkey.table.ts'
import type { PasswordResetTable } from '../password-reset/password-reset.table.ts'
import type { MailOutboxTable } from '../mail/mail.table.ts'
import type { CustomRoleTable } from '../roles/custom-role.table.ts'
import type { RoleVersionTable } from '../roles/role-version.table.ts'
import type { ScimTokenTable } from '../scim/scim-token.table.ts'
import type { SessionTable } from '../sessions/session.table.ts'
import type { InstallationTable } from '../setup/setup.table.ts'
import type { SsoAssertionTable, SsoConfigTable, SsoFlowTable } from '../sso/sso.table.ts'
import type { SigningKeyTable } from '../signing-keys/signing-key.table.ts'
import type { OidcClientTable, OidcKeyTable, OidcPayloadTable } from '../oidc/oidc.table.ts'
import type { MemberSearchTermTable } from '../team/member-search.table.ts'
import type { MembershipTable } from '../team/membership.table.ts'
import type { UserTable } from '../users/user.table.ts'
import type { WebhookDeliveryTable, WebhookFanOutTable, WebhookTable } from '../webhooks/webhook.table.ts'

export interface Database {
  accounts: AccountTable
  account_domains: AccountDomainTable
  users: UserTable
  memberships: MembershipTable
  member_search_terms: MemberSearchTermTable
  custom_roles: CustomRoleTable
  role_versions: RoleVersionTable
  invitations: InvitationTable
  invite_buckets: InviteBucketTable
  api_keys: ApiKeyTable
  audit_events: AuditEventTable
  signing_keys: SigningKeyTable
  sessions: SessionTable
  mail_outbox: MailOutboxTable
  installation: InstallationTable
  sso_configs: SsoConfigTable
  sso_flows: SsoFlowTable
  sso_assertions: SsoAssertionTable
  password_resets: PasswordResetTable
  totp_factors: TotpFactorTable
  recovery_codes: RecoveryCodeTable
  mfa_challenges: MfaChallengeTable
  passkeys: PasskeyTable
  webauthn_challenges: WebauthnChallengeTable
  webhooks: WebhookTable
  webhook_deliveries: WebhookDeliveryTable
  webhook_fan_out: WebhookFanOutTable
  scim_tokens: ScimTokenTable
  oidc_clients: OidcClientTable
  oidc_keys: OidcKeyTable
  oidc_payloads: OidcPayloadTable
}
