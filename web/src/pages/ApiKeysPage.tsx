import { useState } from 'preact/hooks'
import { api, messageOf, type ApiToken } from '../api.ts'
import { described, Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { RevokeTable } from '../components/RevokeTable.tsx'
import { SecretOnce } from '../components/SecretOnce.tsx'
import { formErrors, type FormErrors } from '../form-errors.ts'
import { formatDate } from '../format.ts'
import { useLoad } from '../use-load.ts'

/** The user's own API keys: a new key is shown once, the list shows only a prefix. */
export function ApiKeysPage() {
  const [name, setName] = useState('')
  const [created, setCreated] = useState<ApiToken | undefined>()
  const [errors, setErrors] = useState<FormErrors>({})
  const [notice, setNotice] = useState('')

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
          <SecretOnce
            notice="Copy the key now: it is shown only once."
            values={[
              { id: 'new-key', label: `Key "${created.name}"`, value: created.key, copyLabel: 'Copy key' },
            ]}
          />
        )}
      </form>
      {(errors.form || loaded.error) && <Notice kind="error">{errors.form || loaded.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <RevokeTable
        caption="Your keys"
        items={keys}
        keyOf={(k) => k.id}
        empty="No keys yet."
        columns={[
          { header: 'Name', cell: (k) => k.name },
          { header: 'Prefix', cell: (k) => <code>{k.keyPrefix}…</code> },
          { header: 'Created', cell: (k) => formatDate(k.timestamp * 1000) },
          {
            header: 'Last used',
            cell: (k) => (k.lastUsedAt === null ? 'Never' : formatDate(k.lastUsedAt * 1000)),
          },
        ]}
        revoke={{
          label: 'Revoke',
          name: (k) => `Revoke the key ${k.name}`,
          confirm: {
            title: (k) => `Revoke the key ${k.name}?`,
            label: 'Revoke key',
            body: 'Anything that uses it stops working at once.',
          },
          run: (k) => void revoke(k),
        }}
      />
    </section>
  )
}
