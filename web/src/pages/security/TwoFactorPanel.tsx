import { useState } from 'preact/hooks'
import { api, messageOf } from '../../api.ts'
import { Field } from '../../components/Field.tsx'
import { Notice } from '../../components/Notice.tsx'
import { useLoad } from '../../use-load.ts'

interface Status {
  totpEnabled: boolean
  recoveryCodesLeft: number
}
interface Started {
  secret: string
  otpauthUrl: string
  qrCode: string
}

/** Authenticator-app two-factor: set up (QR code, first code, recovery codes once) or turn off. */
export function TwoFactorPanel({ onEnrolled }: { onEnrolled: () => void }) {
  const status = useLoad(() => api<Status>('fetchSecurityStatus'), [])
  const [started, setStarted] = useState<Started | undefined>()
  const [codes, setCodes] = useState<string[] | undefined>()
  const [code, setCode] = useState('')
  const [error, setError] = useState('')

  async function act(work: () => Promise<void>) {
    setError('')
    try {
      await work()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  const start = () => act(async () => setStarted(await api<Started>('startTotp')))
  const confirm = (event: Event) => {
    event.preventDefault()
    return act(async () => {
      const r = await api<{ recoveryCodes: string[] }>('confirmTotp', { code })
      setCodes(r.recoveryCodes)
      setStarted(undefined)
      setCode('')
      await status.reload()
    })
  }
  const disable = (event: Event) => {
    event.preventDefault()
    return act(async () => {
      await api('disableTotp', /^\d{6}$/.test(code.trim()) ? { code } : { recoveryCode: code })
      setCode('')
      setCodes(undefined)
      await status.reload()
    })
  }

  const s = status.data
  return (
    <div class="panel" aria-labelledby="totp-title">
      <h2 id="totp-title">Two-factor authentication</h2>
      {(error || status.error) && <Notice kind="error">{error || status.error}</Notice>}
      {codes && (
        <div class="link-box">
          <Notice kind="success">
            Two-factor authentication is on. Keep these recovery codes somewhere safe: each works once, and
            they are shown only now.
          </Notice>
          <ul class="recovery-codes" aria-label="Recovery codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="button-primary button-small"
            onClick={() => {
              setCodes(undefined)
              onEnrolled()
            }}
          >
            I have saved them
          </button>
        </div>
      )}
      {s && !s.totpEnabled && !started && (
        <>
          <p class="muted">Off. With it on, signing in also asks for a code from an authenticator app.</p>
          <button type="button" class="button-primary" onClick={() => void start()}>
            Set up two-factor
          </button>
        </>
      )}
      {started && (
        <form onSubmit={(e) => void confirm(e)}>
          <p>Scan this code with your authenticator app, or type the key into it.</p>
          <img
            class="qr-code"
            src={started.qrCode}
            alt="QR code for your authenticator app"
            width={200}
            height={200}
          />
          <p>
            Key: <code id="totp-secret">{started.secret}</code>
          </p>
          <Field id="totp-code" label="Code from the app">
            <input
              id="totp-code"
              required
              autocomplete="one-time-code"
              inputMode="numeric"
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" class="button-primary">
            Turn on
          </button>
        </form>
      )}
      {s?.totpEnabled && !codes && (
        <form onSubmit={(e) => void disable(e)}>
          <p class="muted">On. {s.recoveryCodesLeft} recovery codes left.</p>
          <div class="form-row">
            <Field id="totp-off-code" label="Code or recovery code">
              <input
                id="totp-off-code"
                required
                autocomplete="one-time-code"
                value={code}
                onInput={(e) => setCode(e.currentTarget.value)}
              />
            </Field>
            <button type="submit" class="button-danger-outline form-row-button">
              Turn off
            </button>
          </div>
        </form>
      )}
    </div>
  )
}
