import { useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { RevokeTable } from '../components/RevokeTable.tsx'
import { SecretOnce } from '../components/SecretOnce.tsx'
import { formatDate } from '../format.ts'
import { useLoad } from '../use-load.ts'

interface Application {
  clientId: string
  name: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  public: boolean
  createdAt: number
}

/** Apps that sign people in with Roster (OIDC clients) of this account; a secret is shown once. */
export function ApplicationsPage() {
  const [name, setName] = useState('')
  const [uris, setUris] = useState('')
  const [logoutUris, setLogoutUris] = useState('')
  const [isPublic, setPublic] = useState(false)
  const [created, setCreated] = useState<{ clientId: string; clientSecret?: string } | undefined>()
  const [error, setError] = useState('')

  const loaded = useLoad(() => api<{ oidcClients: Application[] }>('fetchOidcClients'), [])
  const apps = loaded.data?.oidcClients

  async function create(event: Event) {
    event.preventDefault()
    setError('')
    try {
      const lines = (text: string) => text.split(/\s+/).filter(Boolean)
      setCreated(
        await api<{ clientId: string; clientSecret?: string }>('addOidcClient', {
          name,
          redirectUris: lines(uris),
          postLogoutRedirectUris: lines(logoutUris),
          public: isPublic,
        }),
      )
      setName('')
      setUris('')
      setLogoutUris('')
      setPublic(false)
      await loaded.reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  async function remove(app: Application) {
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
        <Field id="app-logout-uris" label="Post-logout redirect URIs (optional, one per line)">
          <textarea
            id="app-logout-uris"
            rows={2}
            value={logoutUris}
            onInput={(e) => setLogoutUris(e.currentTarget.value)}
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
          <SecretOnce
            notice={
              created.clientSecret ? 'Copy the secret now: it is shown only once.' : 'Application added.'
            }
            values={[
              {
                id: 'new-client-id',
                label: 'Client ID',
                value: created.clientId,
                copyLabel: 'Copy client ID',
              },
              ...(created.clientSecret
                ? [
                    {
                      id: 'new-client-secret',
                      label: 'Client secret',
                      value: created.clientSecret,
                      copyLabel: 'Copy client secret',
                    },
                  ]
                : []),
            ]}
          />
        )}
      </form>
      {(error || loaded.error) && <Notice kind="error">{error || loaded.error}</Notice>}
      <RevokeTable
        caption="Applications"
        items={apps}
        keyOf={(a) => a.clientId}
        empty="No applications yet."
        columns={[
          { header: 'Name', cell: (a) => a.name },
          { header: 'Client ID', cell: (a) => <code>{a.clientId}</code> },
          { header: 'Redirect URIs', cell: (a) => a.redirectUris.join(', ') },
          { header: 'Post-logout redirect URIs', cell: (a) => a.postLogoutRedirectUris.join(', ') },
          { header: 'Added', cell: (a) => formatDate(a.createdAt * 1000) },
        ]}
        revoke={{
          label: 'Delete',
          name: (a) => `Delete the application ${a.name}`,
          confirm: {
            title: (a) => `Delete the application ${a.name}?`,
            label: 'Delete application',
            body: 'Its members are signed out of it: refresh tokens stop working at once.',
          },
          run: (a) => void remove(a),
        }}
      />
    </section>
  )
}
