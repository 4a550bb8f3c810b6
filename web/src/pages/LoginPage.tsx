import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser'
import { useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { Card } from '../components/Card.tsx'
import { Field } from '../components/Field.tsx'
import { Link } from '../components/Link.tsx'
import { Notice } from '../components/Notice.tsx'
import type { FormErrors } from '../form-errors.ts'
import { oidcReturn } from '../oidc-return.ts'
import { ssoErrorMessage } from '../sso-messages.ts'
import { MfaStep } from './MfaStep.tsx'

type SsoStart = { redirectUrl?: string; accounts?: { accountId: number; name: string }[] }
type LoginAnswer = { mfaRequired?: boolean; mfaToken?: string }

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  // The identity provider's way back may end here with a refusal code.
  const returned = ssoErrorMessage(new URLSearchParams(location.search).get('ssoError'))
  const [errors, setErrors] = useState<FormErrors>(returned ? { form: returned } : {})
  const [busy, setBusy] = useState(false)
  const [sso, setSso] = useState(Boolean(returned))
  const [choices, setChoices] = useState<SsoStart['accounts']>()
  const [mfaToken, setMfaToken] = useState<string | undefined>()

  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setErrors({})
    try {
      const answer = await api<LoginAnswer>('login', { email, password })
      if (answer.mfaRequired && answer.mfaToken) {
        setMfaToken(answer.mfaToken)
        setBusy(false)
      } else onSignedIn()
    } catch (error) {
      // One message whatever went wrong: the server does not say which of the two was wrong.
      setErrors({ form: messageOf(error) })
      setBusy(false)
    }
  }

  async function withPasskey() {
    setErrors({})
    try {
      const optionsJSON = await api<PublicKeyCredentialRequestOptionsJSON>('passkeyLoginOptions')
      const response = await startAuthentication({ optionsJSON })
      await api('passkeyLogin', { response })
      onSignedIn()
    } catch (error) {
      setErrors({ form: messageOf(error) })
    }
  }

  async function startSso(event: Event | undefined, accountId?: number) {
    event?.preventDefault()
    setBusy(true)
    setErrors({})
    try {
      const returnTo = oidcReturn() ?? undefined
      const started = await api<SsoStart>('startSso', {
        email,
        ...(accountId ? { accountId } : {}),
        returnTo,
      })
      if (started.redirectUrl) {
        location.assign(started.redirectUrl)
        return
      }
      setChoices(started.accounts)
      setBusy(false)
    } catch (error) {
      setErrors({ form: messageOf(error) })
      setBusy(false)
    }
  }

  const emailField = (
    <Field id="login-email" label="Email">
      <input
        id="login-email"
        type="email"
        autocomplete="username webauthn"
        required
        value={email}
        onInput={(e) => setEmail(e.currentTarget.value)}
      />
    </Field>
  )

  if (mfaToken)
    return <MfaStep mfaToken={mfaToken} onSignedIn={onSignedIn} onRestart={() => setMfaToken(undefined)} />

  if (sso)
    return (
      <Card title="Sign in with SSO">
        {errors.form && <Notice kind="error">{errors.form}</Notice>}
        <form onSubmit={(e) => void startSso(e)}>
          {emailField}
          <button type="submit" class="button-primary button-block" disabled={busy}>
            {busy ? 'Redirecting…' : 'Continue with single sign-on'}
          </button>
        </form>
        {choices && (
          <div role="group" aria-label="Choose an account">
            <p>Your email belongs to several organisations. Sign in to:</p>
            {choices.map((c) => (
              <button
                key={c.accountId}
                type="button"
                class="button-secondary button-block"
                onClick={() => void startSso(undefined, c.accountId)}
              >
                {c.name}
              </button>
            ))}
          </div>
        )}
        <p>
          <button
            type="button"
            class="button-secondary button-block"
            onClick={() => (setSso(false), setErrors({}))}
          >
            Sign in with a password instead
          </button>
        </p>
      </Card>
    )

  return (
    <Card title="Sign in">
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      <form onSubmit={(e) => void submit(e)}>
        {emailField}
        <Field id="login-password" label="Password">
          <input
            id="login-password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="button-primary button-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <button
          type="button"
          class="button-secondary button-block"
          onClick={() => (setSso(true), setErrors({}))}
        >
          Sign in with SSO
        </button>
      </p>
      <button type="button" class="button-secondary button-block" onClick={() => void withPasskey()}>
        Sign in with a passkey
      </button>
      <p>
        <Link href="/forgotPassword">Forgot your password?</Link>
      </p>
    </Card>
  )
}
