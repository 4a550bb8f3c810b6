/** The Security page: two-factor, passkeys, password, sessions (and, for an ADMIN, the account policy). */
import type { Me } from '../api.ts'
import { Notice } from '../components/Notice.tsx'
import { AccountPolicyPanel, PasswordPanel } from './security/PasswordPanel.tsx'
import { PasskeysPanel } from './security/PasskeysPanel.tsx'
import { SessionsPanel } from './security/SessionsPanel.tsx'
import { TwoFactorPanel } from './security/TwoFactorPanel.tsx'

export function SecurityPage({
  me,
  enrolmentRequired,
  onEnrolled,
}: {
  me: Me
  enrolmentRequired: boolean
  onEnrolled: () => void
}) {
  return (
    <section class="page" aria-labelledby="security-title">
      <div class="page-head">
        <h1 id="security-title">Security</h1>
        <p class="muted">How you sign in to Roster, and where you are signed in.</p>
      </div>
      {enrolmentRequired && (
        <Notice kind="info">
          {me.accountName} requires two-factor authentication. Set up an authenticator app or add a passkey to
          continue.
        </Notice>
      )}
      <TwoFactorPanel onEnrolled={onEnrolled} />
      <PasskeysPanel onEnrolled={onEnrolled} enrolmentOnly={enrolmentRequired} />
      {!enrolmentRequired && (
        <>
          <PasswordPanel />
          <SessionsPanel />
          {me.permissions.includes('account:policy') && <AccountPolicyPanel accountName={me.accountName} />}
        </>
      )}
    </section>
  )
}
