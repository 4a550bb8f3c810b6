/**
 * Decides what to show: the invitation page for a link; otherwise the signed-in pages, or
 * sign-in, or — while Roster has no account yet — first-run setup.
 */
import { useCallback, useEffect, useState } from 'preact/hooks'
import { api, whenSignedOut, type Me } from './api.ts'
import { Layout } from './components/Layout.tsx'
import { AcceptPage } from './pages/AcceptPage.tsx'
import { ApiKeysPage } from './pages/ApiKeysPage.tsx'
import { ApplicationsPage } from './pages/ApplicationsPage.tsx'
import { AuditPage } from './pages/AuditPage.tsx'
import { ForgotPasswordPage } from './pages/ForgotPasswordPage.tsx'
import { LoginPage } from './pages/LoginPage.tsx'
import { NotFoundPage } from './pages/NotFoundPage.tsx'
import { ResetPasswordPage } from './pages/ResetPasswordPage.tsx'
import { ProvisioningPage } from './pages/ProvisioningPage.tsx'
import { RolesPage } from './pages/RolesPage.tsx'
import { SecurityPage } from './pages/SecurityPage.tsx'
import { SetupPage } from './pages/SetupPage.tsx'
import { SsoPage } from './pages/SsoPage.tsx'
import { TeamPage } from './pages/TeamPage.tsx'
import { WebhooksPage } from './pages/webhooks/WebhooksPage.tsx'
import { navigate, usePath } from './router.ts'
import { oidcReturn } from './oidc-return.ts'

type State =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'signedOut' }
  | { kind: 'signedIn'; me: Me; enrolmentRequired: boolean }

export function App() {
  const path = usePath()
  const [state, setState] = useState<State>({ kind: 'loading' })

  const refresh = useCallback(async () => {
    try {
      const me = await api<Me>('me')
      // An account that requires two-factor keeps a session without one on the Security page.
      const security = await api<{ mfaEnrolmentRequired: boolean }>('fetchSecurityStatus').catch(
        () => undefined,
      )
      setState({ kind: 'signedIn', me, enrolmentRequired: security?.mfaEnrolmentRequired === true })
    } catch {
      const { needsSetup } = await api<{ needsSetup: boolean }>('setupStatus').catch(() => ({
        needsSetup: false,
      }))
      setState({ kind: needsSetup ? 'setup' : 'signedOut' })
    }
  }, [])

  useEffect(() => {
    whenSignedOut(() => setState({ kind: 'signedOut' }))
    void refresh()
  }, [refresh])

  const signedIn = () => {
    // Signing in for an application (Sign in with Roster): back to the flow that sent us here.
    const back = oidcReturn()
    if (back) return window.location.assign(back)
    if (['/login', '/setup', '/forgotPassword', '/resetPassword'].includes(path))
      navigate('/', { replace: true })
    void refresh()
  }

  if (path === '/addUserToAccount')
    return (
      <AcceptPage
        onJoined={() => {
          navigate('/', { replace: true })
          void refresh()
        }}
      />
    )
  if (path === '/resetPassword') return <ResetPasswordPage onSignedIn={signedIn} />
  if (path === '/forgotPassword' && state.kind === 'signedOut') return <ForgotPasswordPage />
  if (state.kind === 'loading') return <p class="boot">Loading Roster…</p>
  if (state.kind === 'setup') return <SetupPage onDone={signedIn} />
  if (state.kind === 'signedOut') return <LoginPage onSignedIn={signedIn} />

  const { me, enrolmentRequired } = state
  if (path === '/login' && oidcReturn()) {
    window.location.assign(oidcReturn()!)
    return <p class="boot">Signing in…</p>
  }
  const can = (action: string) => me.permissions.includes(action)
  const page =
    enrolmentRequired || path === '/security' ? (
      <SecurityPage me={me} enrolmentRequired={enrolmentRequired} onEnrolled={() => void refresh()} />
    ) : path === '/' || path === '/team' ? (
      <TeamPage me={me} />
    ) : path === '/roles' && can('roles:manage') ? (
      <RolesPage />
    ) : path === '/api-keys' ? (
      <ApiKeysPage />
    ) : path === '/applications' && can('oidcClients:manage') ? (
      <ApplicationsPage />
    ) : path === '/audit' && can('audit:read') ? (
      <AuditPage />
    ) : path === '/single-sign-on' && can('sso:manage') ? (
      <SsoPage />
    ) : path === '/provisioning' && can('scim:manage') ? (
      <ProvisioningPage />
    ) : path === '/webhooks' && can('webhooks:manage') ? (
      <WebhooksPage />
    ) : (
      <NotFoundPage />
    )
  return (
    <Layout
      me={me}
      path={path}
      onSwitched={() => void refresh()}
      onSignedOut={() => setState({ kind: 'signedOut' })}
    >
      {page}
    </Layout>
  )
}
