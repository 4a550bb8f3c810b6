import { useState } from 'preact/hooks'
import { api, messageOf, type ApiToken } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { CopyButton } from '../components/CopyButton.tsx'
import { described, Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { formErrors, type FormErrors } from '../form-errors.ts'
import { formatDate } from '../format.ts'
import { useLoad } from '../use-load.ts'

/** The user's own API keys: a new key is shown once, the list shows only a prefix. */
export function ApiKeysPage() {
  const [name, setName] = useState('')
  const [created, setCreated] = useState<ApiToken | undefined>()
  const [errors, setErrors] = useState<FormErrors>({})
  const [notice, setNotice] = useState('')
  const [revoking, setRevoking] = useState<ApiToken | undefined>()

  const loaded = useLoad(() => api<{ apiTokenList: ApiToken[] }>('fetchApiTokens'), [])
  const keys = loaded.data?.apiTokenList
  const load = loaded.reload

  async function create(event: Event) {
    event.preventDefault()
    setErrors({})
    setNotice('')
    try {
      const r = await api<{ apiTokenList: ApiToken[] }>('addApiToken', { name })
      setCreated(r.apiTokenList[0])
      setName('')
      await load()
    } catch (error) {
      setErrors(formErrors(error))
    }
  }
  async function revoke(key: ApiToken) {
    setRevoking(undefined)
    try {
      await api('deleteApiToken', { apiTokenId: key.id })
      if (created?.id === key.id) setCreated(undefined)
      await load()
      setNotice(`Revoked the key ${key.name}.`)
    } catch (error) {
      setErrors({ form: messageOf(error) })
    }
  }

  return (
    <section class="page" aria-labelledby="keys-title">
      <div class="page-head">
        <h1 id="keys-title">API keys</h1>
        <p class="muted">
          Keys act as you, with your role, in this account. Send one in the X-API-KEY header.
        </p>
      </div>
      <form class="panel" aria-labelledby="new-key-title" onSubmit={(e) => void create(e)}>
        <h2 id="new-key-title">New API key</h2>
        <div class="form-row">
          <Field id="key-name" label="Name" error={errors.keyName}>
            <input
              id="key-name"
              required
              maxLength={100}
              placeholder="e.g. CI pipeline"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              {...described('key-name', errors.keyName)}
            />
          </Field>
          <button type="submit" class="button-primary form-row-button">
            Create key
          </button>
        </div>
        {created?.key && (
          <div class="link-box">
            <Notice kind="success">Copy the key now: it is shown only once.</Notice>
            <label for="new-key">{`Key "${created.name}"`}</label>
            <div class="copy-row">
              <input
                id="new-key"
                class="mono"
                readOnly
                value={created.key}
                onFocus={(e) => e.currentTarget.select()}
              />
              <CopyButton text={created.key} label="Copy key" />
            </div>
          </div>
        )}
      </form>
      {(errors.form || loaded.error) && <Notice kind="error">{errors.form || loaded.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <table class="table">
        <caption>Your keys</caption>
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
          {keys?.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                No keys yet.
              </td>
            </tr>
          )}
          {keys?.map((k) => (
            <tr key={k.id}>
              <td data-label="Name">{k.name}</td>
              <td data-label="Prefix">
                <code>{k.keyPrefix}…</code>
              </td>
              <td data-label="Created">{formatDate(k.timestamp * 1000)}</td>
              <td data-label="Last used">
                {k.lastUsedAt === null ? 'Never' : formatDate(k.lastUsedAt * 1000)}
              </td>
              <td class="row-actions">
                <button
                  type="button"
                  class="button-danger-outline button-small"
                  aria-label={`Revoke the key ${k.name}`}
                  onClick={() => setRevoking(k)}
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
          title={`Revoke the key ${revoking.name}?`}
          confirmLabel="Revoke key"
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(undefined)}
        >
          Anything that uses it stops working at once.
        </ConfirmDialog>
      )}
    </section>
  )
}
