import { useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { Card } from '../components/Card.tsx'
import { Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import type { FormErrors } from '../form-errors.ts'

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<FormErrors>({})
  const [busy, setBusy] = useState(false)

  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setErrors({})
    try {
      await api('login', { email, password })
      onSignedIn()
    } catch (error) {
      // One message whatever went wrong: the server does not say which of the two was wrong.
      setErrors({ form: messageOf(error) })
      setBusy(false)
    }
  }

  return (
    <Card title="Sign in">
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      <form onSubmit={(e) => void submit(e)}>
        <Field id="login-email" label="Email">
          <input
            id="login-email"
            type="email"
            autocomplete="username"
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
    </Card>
  )
}
