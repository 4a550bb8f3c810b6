import { useEffect, useState } from 'preact/hooks'
import type { paths } from '../../../clients/typescript/src/index.ts'
import { api, messageOf } from '../api.ts'
import { Card } from '../components/Card.tsx'
import { described, Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { formErrors, type FormErrors } from '../form-errors.ts'
import { formatDate } from '../format.ts'

type Joined = paths['/api/acceptInvitation']['post']['responses'][200]['content']['application/json']

interface Info {
  email: string
  accountName: string
  inviterName: string
  inviterEmail: string
  role: string
  expiresAt: string
  userExists: boolean
  /** The account signs in with its identity provider: the invitation can be accepted there. */
  ssoAvailable?: boolean
}

/** The page an invitation link opens (/addUserToAccount?signupInvitationCode=…&signupEmailId=…). */
export function AcceptPage({ onJoined }: { onJoined: () => void }) {
  const query = new URLSearchParams(location.search)
  const ref = {
    signupInvitationCode: query.get('signupInvitationCode') ?? '',
    signupEmailId: query.get('signupEmailId') ?? '',
  }
  const [info, setInfo] = useState<Info | undefined>()
  const [loadError, setLoadError] = useState('')
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<FormErrors>({})
  const [busy, setBusy] = useState(false)
  const [joinedSignedOut, setJoinedSignedOut] = useState(false)

  useEffect(() => {
    api<Info>('getInvitationInfo', ref).then(setInfo, (error) => setLoadError(messageOf(error)))
  }, [])

  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setErrors({})
    try {
      const joined = await api<Joined>('acceptInvitation', {
        ...ref,
        password,
        ...(name ? { name } : {}),
      })
      // Two-factor on: joined, but the sign-in asks for the code, as the sign-in page does.
      if (joined.signInRequired) setJoinedSignedOut(true)
      else onJoined()
    } catch (error) {
      setErrors(formErrors(error))
      setBusy(false)
    }
  }

  async function joinWithSso() {
    setBusy(true)
    setErrors({})
    try {
      const started = await api<{ redirectUrl?: string }>('startSso', ref)
      if (started.redirectUrl) location.assign(started.redirectUrl)
    } catch (error) {
      setErrors(formErrors(error))
      setBusy(false)
    }
  }

  if (loadError) {
    return (
      <Card title="Invitation">
        <Notice kind="error">{loadError}</Notice>
      </Card>
    )
  }
  if (!info)
    return (
      <Card title="Invitation">
        <p role="status">Opening your invitation…</p>
      </Card>
    )

  if (joinedSignedOut)
    return (
      <Card title={`Joined ${info.accountName}`}>
        <Notice kind="success">
          You joined {info.accountName} as {info.role}. Your user has two-factor authentication on: sign in
          with your password and a code from your authenticator app to continue.
        </Notice>
        <button type="button" class="button-primary button-block" onClick={onJoined}>
          Sign in
        </button>
      </Card>
    )

  return (
    <Card title={`Join ${info.accountName}`}>
      <p class="lead">
        <strong>{info.inviterName}</strong> ({info.inviterEmail}) invited <strong>{info.email}</strong> to
        join <strong>{info.accountName}</strong> as <strong>{info.role}</strong>. The invitation expires on{' '}
        {formatDate(info.expiresAt)}.
      </p>
      {info.userExists && <p>You already have a Roster user: sign in with your password to join.</p>}
      {(errors.form ?? errors.email) && <Notice kind="error">{errors.form ?? errors.email}</Notice>}
      <form onSubmit={(e) => void submit(e)}>
        {!info.userExists && (
          <Field id="accept-name" label="Your name" error={errors.name}>
            <input
              id="accept-name"
              autocomplete="name"
              maxLength={200}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              {...described('accept-name', errors.name)}
            />
          </Field>
        )}
        <Field
          id="accept-password"
          label={info.userExists ? 'Password' : 'Choose a password'}
          error={errors.password}
          hint={info.userExists ? undefined : 'At least 8 characters.'}
        >
          <input
            id="accept-password"
            type="password"
            required
            minLength={8}
            autocomplete={info.userExists ? 'current-password' : 'new-password'}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            {...described(
              'accept-password',
              errors.password,
              info.userExists ? undefined : 'At least 8 characters.',
            )}
          />
        </Field>
        <button type="submit" class="button-primary button-block" disabled={busy}>
          {busy ? 'Joining…' : info.userExists ? 'Sign in and join' : 'Create my user and join'}
        </button>
      </form>
      {info.ssoAvailable && (
        <p>
          <button
            type="button"
            class="button-secondary button-block"
            disabled={busy}
            onClick={() => void joinWithSso()}
          >
            Join with single sign-on
          </button>
        </p>
      )}
    </Card>
  )
}
