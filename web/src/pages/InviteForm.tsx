import { useEffect, useState } from 'preact/hooks'
import { api, type ApiError } from '../api.ts'
import { CopyButton } from '../components/CopyButton.tsx'
import { described, Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { formErrors, type FormErrors } from '../form-errors.ts'

interface InviteProps {
  roles: string[]
  defaultRole: string | undefined
  onInvited: (message: string) => void
}

/** Invite someone: email, name and a role the user may grant; the link is shown to copy. */
export function InviteForm({ roles, defaultRole, onInvited }: InviteProps) {
  const fallback =
    defaultRole && roles.includes(defaultRole)
      ? defaultRole
      : roles.includes('DEVELOPER')
        ? 'DEVELOPER'
        : roles[roles.length - 1]
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [role, setRole] = useState(fallback ?? '')
  const [errors, setErrors] = useState<FormErrors>({})
  const [link, setLink] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (!roles.includes(role) && fallback) setRole(fallback)
  }, [roles.join(), fallback])

  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setErrors({})
    setLink('')
    try {
      const r = await api<{ finalInviteCode: string; inviteeRole: string }>('inviteUsers', {
        inviteeEmail: email,
        inviteeRole: role,
        ...(name.trim() ? { inviteeName: name.trim() } : {}),
      })
      setLink(r.finalInviteCode)
      onInvited(`Invited ${email} as ${r.inviteeRole}.`)
      setEmail('')
      setName('')
    } catch (error) {
      setErrors(formErrors(error as ApiError))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="panel invite-form" aria-labelledby="invite-title" onSubmit={(e) => void submit(e)}>
      <h2 id="invite-title">Invite a teammate</h2>
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      <div class="form-row">
        <Field id="invite-email" label="Email" error={errors.email}>
          <input
            id="invite-email"
            type="email"
            required
            autocomplete="off"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            {...described('invite-email', errors.email)}
          />
        </Field>
        <Field id="invite-name" label="Name (optional)" error={errors.name}>
          <input
            id="invite-name"
            maxLength={200}
            autocomplete="off"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field id="invite-role" label="Role" error={errors.role}>
          <select
            id="invite-role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value)}
            {...described('invite-role', errors.role)}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" class="button-primary form-row-button" disabled={busy}>
          {busy ? 'Inviting…' : 'Send invitation'}
        </button>
      </div>
      {link && (
        <div class="link-box">
          <label for="invite-link">Invitation link (works once, for a week)</label>
          <div class="copy-row">
            <input id="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={link} label="Copy link" />
          </div>
        </div>
      )}
    </form>
  )
}
