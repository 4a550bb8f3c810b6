import { useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { Card } from '../components/Card.tsx'
import { Field } from '../components/Field.tsx'
import { Link } from '../components/Link.tsx'
import { Notice } from '../components/Notice.tsx'

/** Asks for a reset link. The answer never says whether the email is registered. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState(false)
  const [error, setError] = useState('')

  async function submit(event: Event) {
    event.preventDefault()
    setError('')
    try {
      await api('requestPasswordReset', { email })
      setSent(true)
    } catch (e) {
      setError(messageOf(e))
    }
  }

  return (
    <Card title="Reset your password">
      {error && <Notice kind="error">{error}</Notice>}
      {/* No lifetime here: PASSWORD_RESET_TTL is the server's setting, and the email states it. */}
      {sent ? (
        <Notice kind="success">
          If {email} belongs to a Roster user, an email with a link to choose a new password is on its way.
          The link works once, until the time the email gives.
        </Notice>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Field id="forgot-email" label="Email">
            <input
              id="forgot-email"
              type="email"
              autocomplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" class="button-primary button-block">
            Email me a link
          </button>
        </form>
      )}
      <p>
        <Link href="/login">Back to sign-in</Link>
      </p>
    </Card>
  )
}
