import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { Card } from '../components/Card.tsx'
import { described, Field } from '../components/Field.tsx'
import { Link } from '../components/Link.tsx'
import { Notice } from '../components/Notice.tsx'
import { formErrors, type FormErrors } from '../form-errors.ts'
import { MfaStep } from './MfaStep.tsx'

/** The emailed link's page: choose a new password; every other session ends. */
export function ResetPasswordPage({ onSignedIn }: { onSignedIn: () => void }) {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<FormErrors>({})
  const [mfaToken, setMfaToken] = useState<string | undefined>()

  async function submit(event: Event) {
    event.preventDefault()
    setErrors({})
    try {
      const answer = await api<{ mfaRequired?: boolean; mfaToken?: string }>('resetPassword', {
        token,
        password,
      })
      if (answer.mfaRequired && answer.mfaToken) setMfaToken(answer.mfaToken)
      else onSignedIn()
    } catch (error) {
      setErrors(formErrors(error))
    }
  }

  if (mfaToken)
    return <MfaStep mfaToken={mfaToken} onSignedIn={onSignedIn} onRestart={() => setMfaToken(undefined)} />
  return (
    <Card title="Choose a new password">
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      <form onSubmit={(e) => void submit(e)}>
        <Field id="reset-password" label="New password" error={errors.password} hint="At least 8 characters.">
          <input
            id="reset-password"
            type="password"
            autocomplete="new-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            {...described('reset-password', errors.password, 'At least 8 characters.')}
          />
        </Field>
        <button type="submit" class="button-primary button-block">
          Set password and sign in
        </button>
      </form>
      <p>
        <Link href="/forgotPassword">Ask for a new link</Link>
      </p>
    </Card>
  )
}
