import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser'
import { useState } from 'preact/hooks'
import { api, messageOf } from '../../api.ts'
import { Field } from '../../components/Field.tsx'
import { Notice } from '../../components/Notice.tsx'
import { RevokeTable } from '../../components/RevokeTable.tsx'
import { formatDate } from '../../format.ts'
import { useLoad } from '../../use-load.ts'

interface Passkey {
  id: number
  name: string
  createdAt: number
  lastUsedAt: number | null
}

/** Passkeys: add one (named), see them, remove one. */
export function PasskeysPanel({
  onEnrolled,
  enrolmentOnly,
}: {
  onEnrolled: () => void
  enrolmentOnly: boolean
}) {
  // Listing is not part of enrolment: while enrolment is required, only adding is offered.
  const list = useLoad(
    () =>
      enrolmentOnly
        ? Promise.resolve({ passkeys: [] as Passkey[] })
        : api<{ passkeys: Passkey[] }>('fetchPasskeys'),
    [enrolmentOnly],
  )
  const [name, setName] = useState('')
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')

  async function add(event: Event) {
    event.preventDefault()
    setError('')
    setNotice('')
    try {
      const optionsJSON = await api<PublicKeyCredentialCreationOptionsJSON>('passkeyRegistrationOptions')
      const response = await startRegistration({ optionsJSON })
      await api('registerPasskey', { name, response })
      setNotice(`Added the passkey ${name}.`)
      setName('')
      if (enrolmentOnly) onEnrolled()
      else await list.reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  async function remove(p: Passkey) {
    setError('')
    try {
      await api('removePasskey', { id: p.id })
      setNotice(`Removed the passkey ${p.name}.`)
      await list.reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }

  return (
    <div class="panel" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p class="muted">Sign in with your device’s screen lock or a security key instead of a password.</p>
      {(error || list.error) && <Notice kind="error">{error || list.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <form onSubmit={(e) => void add(e)}>
        <div class="form-row">
          <Field id="passkey-name" label="Name">
            <input
              id="passkey-name"
              required
              maxLength={100}
              placeholder="e.g. Work laptop"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" class="button-primary form-row-button">
            Add a passkey
          </button>
        </div>
      </form>
      {!enrolmentOnly && (
        <RevokeTable
          caption="Your passkeys"
          items={list.data?.passkeys}
          keyOf={(p) => p.id}
          empty="No passkeys yet."
          columns={[
            { header: 'Name', cell: (p) => p.name },
            { header: 'Added', cell: (p) => formatDate(p.createdAt) },
            {
              header: 'Last used',
              cell: (p) => (p.lastUsedAt === null ? 'Never' : formatDate(p.lastUsedAt)),
            },
          ]}
          revoke={{
            label: 'Remove',
            name: (p) => `Remove the passkey ${p.name}`,
            confirm: {
              title: (p) => `Remove the passkey ${p.name}?`,
              label: 'Remove passkey',
              body: 'It will no longer sign you in. Your password and other passkeys still do.',
            },
            run: (p) => void remove(p),
          }}
        />
      )}
    </div>
  )
}
