import { useState } from 'preact/hooks'
import { api, messageOf } from '../../api.ts'
import { described, Field } from '../../components/Field.tsx'
import { Notice } from '../../components/Notice.tsx'
import { formErrors, type FormErrors } from '../../form-errors.ts'
import { useLoad } from '../../use-load.ts'

export function PasswordPanel() {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [errors, setErrors] = useState<FormErrors>({})
  const [notice, setNotice] = useState('')

  async function submit(event: Event) {
    event.preventDefault()
    setErrors({})
    setNotice('')
    try {
      const r = await api<{ sessionsEnded: number }>('changePassword', {
        currentPassword: current,
        newPassword: next,
      })
      setCurrent('')
      setNext('')
      setNotice(
        `Password changed. ${r.sessionsEnded} other session${r.sessionsEnded === 1 ? '' : 's'} signed out.`,
      )
    } catch (error) {
      setErrors(formErrors(error))
    }
  }

  return (
    <form class="panel" aria-labelledby="password-title" onSubmit={(e) => void submit(e)}>
      <h2 id="password-title">Password</h2>
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <Field id="current-password" label="Current password" error={errors.currentPassword}>
        <input
          id="current-password"
          type="password"
          autocomplete="current-password"
          required
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
          {...described('current-password', errors.currentPassword)}
        />
      </Field>
      <Field id="new-password" label="New password" error={errors.password}>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          required
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
          {...described('new-password', errors.password)}
        />
      </Field>
      <button type="submit" class="button-primary">
        Change password
      </button>
    </form>
  )
}

/** ADMIN: require a second factor of every member of the account. */
export function AccountPolicyPanel({ accountName }: { accountName: string }) {
  const status = useLoad(() => api<{ requireMfa: boolean }>('fetchSecurityStatus'), [])
  const [error, setError] = useState('')

  async function toggle(requireMfa: boolean) {
    setError('')
    try {
      await api('setAccountPolicy', { requireMfa })
      await status.reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  return (
    <div class="panel" aria-labelledby="policy-title">
      <h2 id="policy-title">Account policy</h2>
      {(error || status.error) && <Notice kind="error">{error || status.error}</Notice>}
      {status.data && (
        <label>
          <input
            type="checkbox"
            checked={status.data.requireMfa}
            onChange={(e) => void toggle(e.currentTarget.checked)}
          />{' '}
          Require two-factor authentication (an authenticator app or a passkey) of every member of{' '}
          {accountName}
        </label>
      )}
    </div>
  )
}
