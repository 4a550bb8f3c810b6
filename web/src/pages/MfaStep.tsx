import { useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { Card } from '../components/Card.tsx'
import { Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'

/** The second step of signing in: a code from the authenticator app, or a recovery code. */
export function MfaStep({
  mfaToken,
  onSignedIn,
  onRestart,
}: {
  mfaToken: string
  onSignedIn: () => void
  onRestart: () => void
}) {
  const [code, setCode] = useState('')
  const [useRecovery, setUseRecovery] = useState(false)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      await api('verifyMfa', useRecovery ? { mfaToken, recoveryCode: code } : { mfaToken, code })
      onSignedIn()
    } catch (e) {
      setError(messageOf(e))
      setBusy(false)
    }
  }

  return (
    <Card title="Two-factor authentication">
      {error && <Notice kind="error">{error}</Notice>}
      <form onSubmit={(e) => void submit(e)}>
        <Field id="mfa-code" label={useRecovery ? 'Recovery code' : 'Code from your authenticator app'}>
          <input
            id="mfa-code"
            required
            autocomplete="one-time-code"
            inputMode={useRecovery ? 'text' : 'numeric'}
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="button-primary button-block" disabled={busy}>
          {busy ? 'Checking…' : 'Verify'}
        </button>
      </form>
      <p>
        <button
          type="button"
          class="button-secondary button-small"
          onClick={() => setUseRecovery(!useRecovery)}
        >
          {useRecovery ? 'Use a code from the app' : 'Use a recovery code'}
        </button>{' '}
        <button type="button" class="button-secondary button-small" onClick={onRestart}>
          Start over
        </button>
      </p>
    </Card>
  )
}
