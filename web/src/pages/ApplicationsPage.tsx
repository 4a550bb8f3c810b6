import { useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { CopyButton } from '../components/CopyButton.tsx'
import { Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { formatDate } from '../format.ts'
import { useLoad } from '../use-load.ts'

interface Application {
  clientId: string
  name: string
  redirectUris: string[]
  public: boolean
  createdAt: number
}

/** Apps that sign people in with Roster (OIDC clients) of this account; a secret is shown once. */
export function ApplicationsPage() {
  const [name, setName] = useState('')
  const [uris, setUris] = useState('')
  const [isPublic, setPublic] = useState(false)
  const [created, setCreated] = useState<{ clientId: string; clientSecret?: string } | undefined>()
  const [error, setError] = useState('')
  const [deleting, setDeleting] = useState<Application | undefined>()

  const loaded = useLoad(() => api<{ oidcClients: Application[] }>('fetchOidcClients'), [])
  const apps = loaded.data?.oidcClients

  async function create(event: Event) {
    event.preventDefault()
    setError('')
    try {
      const redirectUris = uris.split(/\s+/).filter(Boolean)
      setCreated(
        await api<{ clientId: string; clientSecret?: string }>('addOidcClient', {
          name,
          redirectUris,
          public: isPublic,
        }),
      )
      setName('')
      setUris('')
      await loaded.reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  async function remove(app: Application) {
    setDeleting(undefined)
    try {
      await api('deleteOidcClient', { clientId: app.clientId })
      await loaded.reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }

  return (
    <section class="page" aria-labelledby="apps-title">
      <div class="page-head">
        <h1 id="apps-title">Applications</h1>
        <p class="muted">Apps where this account's members sign in with Roster (OpenID Connect).</p>
      </div>
      <form class="panel" aria-labelledby="new-app-title" onSubmit={(e) => void create(e)}>
        <h2 id="new-app-title">New application</h2>
        <Field id="app-name" label="Application name">
          <input
            id="app-name"
            required
            maxLength={200}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field id="app-uris" label="Redirect URIs (one per line)">
          <textarea
            id="app-uris"
            required
            rows={2}
            value={uris}
            onInput={(e) => setUris(e.currentTarget.value)}
          />
        </Field>
        <label>
          <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.currentTarget.checked)} />{' '}
          Public client (no secret; for single-page and mobile apps)
        </label>
        <button type="submit" class="button-primary">
          Add application
        </button>
        {created && (
          <div class="link-box">
            <Notice kind="success">
              {created.clientSecret ? 'Copy the secret now: it is shown only once.' : 'Application added.'}
            </Notice>
            <label for="new-client-id">Client ID</label>
            <div class="copy-row">
              <input id="new-client-id" class="mono" readOnly value={created.clientId} />
              <CopyButton text={created.clientId} label="Copy client ID" />
            </div>
            {created.clientSecret && (
              <>
                <label for="new-client-secret">Client secret</label>
                <div class="copy-row">
                  <input id="new-client-secret" class="mono" readOnly value={created.clientSecret} />
                  <CopyButton text={created.clientSecret} label="Copy client secret" />
                </div>
              </>
            )}
          </div>
        )}
      </form>
      {(error || loaded.error) && <Notice kind="error">{error || loaded.error}</Notice>}
      <table class="table">
        <caption>Applications</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Client ID</th>
            <th scope="col">Redirect URIs</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {apps?.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                No applications yet.
              </td>
            </tr>
          )}
          {apps?.map((a) => (
            <tr key={a.clientId}>
              <td data-label="Name">{a.name}</td>
              <td data-label="Client ID">
                <code>{a.clientId}</code>
              </td>
              <td data-label="Redirect URIs">{a.redirectUris.join(', ')}</td>
              <td data-label="Added">{formatDate(a.createdAt * 1000)}</td>
              <td class="row-actions">
                <button
                  type="button"
                  class="button-danger-outline button-small"
                  aria-label={`Delete the application ${a.name}`}
                  onClick={() => setDeleting(a)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog
          title={`Delete the application ${deleting.name}?`}
          confirmLabel="Delete application"
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        >
          Its members are signed out of it: refresh tokens stop working at once.
        </ConfirmDialog>
      )}
    </section>
  )
}
