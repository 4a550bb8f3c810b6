import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser'
import { useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { Card } from '../components/Card.tsx'
import { Field } from '../components/Field.tsx'
import { Link } from '../components/Link.tsx'
import { Notice } from '../components/Notice.tsx'
import type { FormErrors } from '../form-errors.ts'
import { MfaStep } from './MfaStep.tsx'

type LoginAnswer = { mfaRequired?: boolean; mfaToken?: string }

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<FormErrors>({})
  const [busy, setBusy] = useState(false)
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

  if (mfaToken)
    return <MfaStep mfaToken={mfaToken} onSignedIn={onSignedIn} onRestart={() => setMfaToken(undefined)} />

  return (
    <Card title="Sign in">
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      <form onSubmit={(e) => void submit(e)}>
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
      <button type="button" class="button-secondary button-block" onClick={() => void withPasskey()}>
        Sign in with a passkey
      </button>
      <p>
        <Link href="/forgotPassword">Forgot your password?</Link>
      </p>
    </Card>
  )
}
