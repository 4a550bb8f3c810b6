import { useEffect, useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { CopyButton } from '../components/CopyButton.tsx'
import { Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { useLoad } from '../use-load.ts'

interface SsoConfig {
  configured: boolean
  protocol: 'oidc' | 'saml' | null
  domains: string[]
  issuer: string | null
  clientId: string | null
  hasClientSecret: boolean
  samlEntityId: string | null
  samlCertificateFingerprint: string | null
  required: boolean
  breakGlassEmail: string | null
  jitRole: string | null
  redirectUri: string
  spEntityId: string
  acsUrl: string
  metadataUrl: string
}

function Value({ label, value }: { label: string; value: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        <code>{value}</code>
      </td>
      <td>
        <CopyButton text={value} />
      </td>
    </tr>
  )
}

/** The account's single sign-on (ADMIN): the values to enter at the IdP, and the IdP's settings. */
export function SsoPage() {
  const { data, error, reload, setError } = useLoad(() => api<SsoConfig>('getSsoConfig'), [])
  const [protocol, setProtocol] = useState<'oidc' | 'saml'>('oidc')
  const [form, setForm] = useState({
    issuer: '',
    clientId: '',
    clientSecret: '',
    samlMetadata: '',
    breakGlassEmail: '',
    jitRole: '',
  })
  const [required, setRequired] = useState(false)
  const [saved, setSaved] = useState('')
  // The form starts from what is stored (never the secret): a save sends every setting, so an
  // empty form would turn `required`, the break-glass ADMIN and the JIT role off unseen.
  useEffect(() => {
    if (!data) return
    setProtocol(data.protocol ?? 'oidc')
    setForm({
      issuer: data.issuer ?? '',
      clientId: data.clientId ?? '',
      clientSecret: '',
      samlMetadata: '',
      breakGlassEmail: data.breakGlassEmail ?? '',
      jitRole: data.jitRole ?? '',
    })
    setRequired(data.required)
  }, [data])
  const set = (k: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value })

  async function save(event: Event) {
    event.preventDefault()
    setSaved('')
    try {
      const idp =
        protocol === 'oidc'
          ? {
              issuer: form.issuer,
              clientId: form.clientId,
              ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
            }
          : { samlMetadata: form.samlMetadata }
      await api('setSsoConfig', {
        ...idp,
        required,
        breakGlassEmail: form.breakGlassEmail || null,
        jitRole: form.jitRole || null,
      })
      setSaved('Single sign-on saved.')
      void reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }

  async function remove() {
    try {
      await api('removeSsoConfig')
      setSaved('Single sign-on removed.')
      void reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }

  return (
    <section class="page" aria-labelledby="sso-title">
      <div class="page-head">
        <h1 id="sso-title">Single sign-on</h1>
        <p class="muted">Members sign in with your company's identity provider (Okta, Entra ID, Google…).</p>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {saved && <Notice kind="success">{saved}</Notice>}
      {data && (
        <>
          <p>
            {data.configured
              ? `Signed in through ${data.protocol === 'oidc' ? `OIDC (${data.issuer})` : `SAML (${data.samlEntityId})`} for ${data.domains.join(', ')}.`
              : 'Single sign-on is not configured.'}
          </p>
          <h2>Values to enter at your identity provider</h2>
          <table class="table">
            <tbody>
              <Value label="Redirect URI (OIDC)" value={data.redirectUri} />
              <Value label="ACS URL (SAML)" value={data.acsUrl} />
              <Value label="Entity ID / Audience (SAML)" value={data.spEntityId} />
              <Value label="SP metadata (SAML)" value={data.metadataUrl} />
            </tbody>
          </table>
          <h2>Identity provider</h2>
          <form onSubmit={(e) => void save(e)}>
            <Field id="sso-protocol" label="Protocol">
              <select
                id="sso-protocol"
                value={protocol}
                onChange={(e) => setProtocol(e.currentTarget.value as 'oidc' | 'saml')}
              >
                <option value="oidc">OpenID Connect</option>
                <option value="saml">SAML 2.0</option>
              </select>
            </Field>
            {protocol === 'oidc' ? (
              <>
                <Field id="sso-issuer" label="Issuer URL">
                  <input id="sso-issuer" type="url" required value={form.issuer} onInput={set('issuer')} />
                </Field>
                <Field id="sso-client-id" label="Client ID">
                  <input id="sso-client-id" required value={form.clientId} onInput={set('clientId')} />
                </Field>
                <Field
                  id="sso-client-secret"
                  label={
                    data.hasClientSecret ? 'Client secret (stored; leave empty to keep)' : 'Client secret'
                  }
                >
                  <input
                    id="sso-client-secret"
                    type="password"
                    autocomplete="off"
                    value={form.clientSecret}
                    onInput={set('clientSecret')}
                  />
                </Field>
              </>
            ) : (
              <Field id="sso-metadata" label="IdP metadata XML">
                <textarea
                  id="sso-metadata"
                  required
                  rows={6}
                  value={form.samlMetadata}
                  onInput={set('samlMetadata')}
                />
              </Field>
            )}
            <Field id="sso-jit" label="JIT role (empty: invitation needed)">
              <input id="sso-jit" value={form.jitRole} onInput={set('jitRole')} />
            </Field>
            <label>
              <input
                type="checkbox"
                checked={required}
                onChange={(e) => setRequired(e.currentTarget.checked)}
              />{' '}
              Require single sign-on (passwords refused)
            </label>
            <Field id="sso-break-glass" label="Break-glass ADMIN email">
              <input
                id="sso-break-glass"
                type="email"
                value={form.breakGlassEmail}
                onInput={set('breakGlassEmail')}
              />
            </Field>
            <button type="submit" class="button-primary">
              Save
            </button>{' '}
            {data.configured && (
              <button type="button" class="button-secondary" onClick={() => void remove()}>
                Remove single sign-on
              </button>
            )}
          </form>
        </>
      )}
    </section>
  )
}
