import { useState } from 'preact/hooks'
import { api, messageOf, type ScimToken } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { CopyButton } from '../components/CopyButton.tsx'
import { described, Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
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
  const [revoking, setRevoking] = useState<ScimToken | undefined>()

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
    setRevoking(undefined)
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
          <div class="link-box">
            <Notice kind="success">Copy the token now: it is shown only once.</Notice>
            <label for="new-scim-token">{`Token "${created.name}"`}</label>
            <div class="copy-row">
              <input
                id="new-scim-token"
                class="mono"
                readOnly
                value={created.token}
                onFocus={(e) => e.currentTarget.select()}
              />
              <CopyButton text={created.token} label="Copy token" />
            </div>
          </div>
        )}
      </form>
      {loaded.error && <Notice kind="error">{loaded.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <table class="table">
        <caption>SCIM tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {settings?.scimTokens.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                No tokens yet.
              </td>
            </tr>
          )}
          {settings?.scimTokens.map((t) => (
            <tr key={t.id}>
              <td data-label="Name">{t.name}</td>
              <td data-label="Prefix">
                <code>{t.prefix}…</code>
              </td>
              <td data-label="Created">{formatDate(t.createdAt)}</td>
              <td data-label="Last used">{t.lastUsedAt === null ? 'Never' : formatDate(t.lastUsedAt)}</td>
              <td class="row-actions">
                <button
                  type="button"
                  class="button-danger-outline button-small"
                  aria-label={`Revoke the token ${t.name}`}
                  onClick={() => setRevoking(t)}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {revoking && (
        <ConfirmDialog
          title={`Revoke the token ${revoking.name}?`}
          confirmLabel="Revoke token"
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(undefined)}
        >
          The identity provider using it can no longer provision this account.
        </ConfirmDialog>
      )}
    </section>
  )
}
