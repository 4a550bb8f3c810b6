import { useState } from 'preact/hooks'
import { api, messageOf, type ScimToken } from '../api.ts'
import { CopyButton } from '../components/CopyButton.tsx'
import { described, Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { RevokeTable } from '../components/RevokeTable.tsx'
import { SecretOnce } from '../components/SecretOnce.tsx'
import { formErrors, type FormErrors } from '../form-errors.ts'
import { formatDate } from '../format.ts'
import { useLoad } from '../use-load.ts'

interface ScimSettings {
  scimTokens: ScimToken[]
  baseUrl: string
  defaultRole: string
}

/** SCIM provisioning: the base URL to give the identity provider, and its tokens (shown once). */
export function ProvisioningPage() {
  const [name, setName] = useState('')
  const [created, setCreated] = useState<{ id: number; name: string; token: string } | undefined>()
  const [errors, setErrors] = useState<FormErrors>({})
  const [notice, setNotice] = useState('')

  const loaded = useLoad(() => api<ScimSettings>('fetchScimTokens'), [])
  const settings = loaded.data

  async function create(event: Event) {
    event.preventDefault()
    setErrors({})
    setNotice('')
    try {
      const r = await api<{ id: number; name: string; token: string }>('addScimToken', { name })
      setCreated(r)
      setName('')
      await loaded.reload()
    } catch (error) {
      setErrors(formErrors(error))
    }
  }
  async function revoke(token: ScimToken) {
    try {
      await api('deleteScimToken', { id: token.id })
      if (created?.id === token.id) setCreated(undefined)
      await loaded.reload()
      setNotice(`Revoked the token ${token.name}.`)
    } catch (error) {
      setErrors({ form: messageOf(error) })
    }
  }

  return (
    <section class="page" aria-labelledby="provisioning-title">
      <div class="page-head">
        <h1 id="provisioning-title">Provisioning</h1>
        <p class="muted">
          Your identity provider (Okta, Microsoft Entra ID) creates, suspends and removes members of this
          account through SCIM 2.0. New members get the role {settings?.defaultRole ?? 'GUEST'} unless the
          provider names one.
        </p>
      </div>
      <div class="panel">
        <label for="scim-base-url">SCIM base URL</label>
        <div class="copy-row">
          <input id="scim-base-url" class="mono" readOnly value={settings?.baseUrl ?? ''} />
          <CopyButton text={settings?.baseUrl ?? ''} label="Copy base URL" />
        </div>
      </div>
      <form class="panel" aria-labelledby="new-scim-token-title" onSubmit={(e) => void create(e)}>
        <h2 id="new-scim-token-title">New SCIM token</h2>
        <div class="form-row">
          <Field id="scim-token-name" label="Name" error={errors.form}>
            <input
              id="scim-token-name"
              required
              maxLength={100}
              placeholder="e.g. Okta"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              {...described('scim-token-name', errors.form)}
            />
          </Field>
          <button type="submit" class="button-primary form-row-button">
            Create token
          </button>
        </div>
        {created && (
          <SecretOnce
            notice="Copy the token now: it is shown only once."
            values={[
              {
                id: 'new-scim-token',
                label: `Token "${created.name}"`,
                value: created.token,
                copyLabel: 'Copy token',
              },
            ]}
          />
        )}
      </form>
      {loaded.error && <Notice kind="error">{loaded.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <RevokeTable
        caption="SCIM tokens"
        items={settings?.scimTokens}
        keyOf={(t) => t.id}
        empty="No tokens yet."
        columns={[
          { header: 'Name', cell: (t) => t.name },
          { header: 'Prefix', cell: (t) => <code>{t.prefix}…</code> },
          { header: 'Created', cell: (t) => formatDate(t.createdAt) },
          { header: 'Last used', cell: (t) => (t.lastUsedAt === null ? 'Never' : formatDate(t.lastUsedAt)) },
        ]}
        revoke={{
          label: 'Revoke',
          name: (t) => `Revoke the token ${t.name}`,
          confirm: {
            title: (t) => `Revoke the token ${t.name}?`,
            label: 'Revoke token',
            body: 'The identity provider using it can no longer provision this account.',
          },
          run: (t) => void revoke(t),
        }}
      />
    </section>
  )
}
