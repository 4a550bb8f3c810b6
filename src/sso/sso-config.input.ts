/**
 * Checks and normalises an SSO configuration as any door sends it (the API, the CLI, Akto's
 * SSO settings calls): pure, before a transaction opens. Rules needing the database (the JIT
 * role, the break-glass ADMIN) are checked by the service.
 */
import { X509Certificate } from 'node:crypto'
import { normalizeEmail } from '../invitations/email-rule.ts'
import { isLoopbackHttp } from './oidc/oidc.adapter.ts'
import { readIdpMetadata } from './saml/saml-xml.ts'
import { ssoConfigError } from './sso.errors.ts'

export interface SsoConfigInput {
  protocol?: unknown
  issuer?: unknown
  clientId?: unknown
  /** Omitted on an update of the same issuer and client: the stored secret is kept. */
  clientSecret?: unknown
  scopes?: unknown
  samlMetadata?: unknown
  samlEntityId?: unknown
  samlSsoUrl?: unknown
  samlCertificate?: unknown
  required?: unknown
  breakGlassEmail?: unknown
  jitRole?: unknown
}

export type IdpSettings =
  | { protocol: 'oidc'; issuer: string; clientId: string; clientSecret: string | null; scopes: string[] }
  | { protocol: 'saml'; entityId: string; ssoUrl: string; certificate: string }

export interface ValidSsoConfig {
  idp: IdpSettings
  required: boolean
  breakGlassEmail: string | null
  jitRole: string | null
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
const given = (v: unknown) => v !== undefined && v !== null && v !== ''

function idpUrl(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  if ((url.protocol !== 'https:' && !isLoopbackHttp(url)) || url.hash || url.username || raw.length > 2000)
    return undefined
  return url.href.replace(/\/$/, '')
}

/** A PEM certificate (or its bare base64 body), as PEM; undefined when it does not parse. */
export function certificatePem(raw: string): string | undefined {
  const body = raw.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]+=*$/.test(body) || body.length > 20_000) return undefined
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`
  try {
    new X509Certificate(pem)
    return pem
  } catch {
    return undefined
  }
}

function oidc(input: SsoConfigInput): IdpSettings {
  const issuer = idpUrl(text(input.issuer))
  if (!issuer) throw ssoConfigError('SSO_INVALID_ISSUER')
  const clientId = text(input.clientId)
  const secret = given(input.clientSecret) ? text(input.clientSecret) : null
  if (clientId.length === 0 || clientId.length > 500 || secret === '' || (secret?.length ?? 0) > 2000) {
    throw ssoConfigError('SSO_INVALID_CLIENT')
  }
  const scopeText = Array.isArray(input.scopes)
    ? input.scopes.join(' ')
    : given(input.scopes)
      ? input.scopes
      : ''
  if (typeof scopeText !== 'string' || scopeText.length > 1000) throw ssoConfigError('SSO_INVALID_SCOPES')
  const scopes = scopeText.split(/[\s,]+/).filter(Boolean)
  if (scopes.some((s) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s))) throw ssoConfigError('SSO_INVALID_SCOPES')
  const extra = [...new Set(scopes)].filter((s) => !['openid', 'email', 'profile'].includes(s))
  return { protocol: 'oidc', issuer, clientId, clientSecret: secret, scopes: extra }
}

function saml(input: SsoConfigInput): IdpSettings {
  if (given(input.samlMetadata)) {
    const meta =
      typeof input.samlMetadata === 'string' && input.samlMetadata.length < 500_000
        ? readIdpMetadata(input.samlMetadata)
        : undefined
    const ssoUrl = meta && idpUrl(meta.ssoUrl)
    const certificate = meta && certificatePem(meta.certificate)
    if (!meta || !ssoUrl || !certificate || meta.entityId.length > 2000)
      throw ssoConfigError('SSO_INVALID_METADATA')
    return { protocol: 'saml', entityId: meta.entityId, ssoUrl, certificate }
  }
  const entityId = text(input.samlEntityId)
  const ssoUrl = idpUrl(text(input.samlSsoUrl))
  const certificate = certificatePem(text(input.samlCertificate))
  if (!entityId || entityId.length > 2000 || !ssoUrl || !certificate) throw ssoConfigError('SSO_INVALID_SAML')
  return { protocol: 'saml', entityId, ssoUrl, certificate }
}

export function validSsoConfig(input: SsoConfigInput): ValidSsoConfig {
  const protocol = given(input.protocol)
    ? text(input.protocol).toLowerCase()
    : given(input.issuer)
      ? 'oidc'
      : given(input.samlMetadata) || given(input.samlSsoUrl)
        ? 'saml'
        : ''
  if (protocol !== 'oidc' && protocol !== 'saml') throw ssoConfigError('SSO_INVALID_PROTOCOL')
  // One protocol's settings only: with both, which one the account signs in with would be a guess.
  const oidcGiven = [input.issuer, input.clientId, input.clientSecret].some(given)
  const samlGiven = [input.samlMetadata, input.samlEntityId, input.samlSsoUrl, input.samlCertificate].some(
    given,
  )
  if (oidcGiven && samlGiven) throw ssoConfigError('SSO_INVALID_PROTOCOL')
  if (input.required !== undefined && typeof input.required !== 'boolean')
    throw ssoConfigError('SSO_INVALID_REQUIRED')
  let breakGlassEmail: string | null = null
  if (given(input.breakGlassEmail)) {
    breakGlassEmail = normalizeEmail(input.breakGlassEmail) ?? null
    if (!breakGlassEmail) throw ssoConfigError('SSO_INVALID_BREAK_GLASS')
  }
  if (given(input.jitRole) && typeof input.jitRole !== 'string') throw ssoConfigError('SSO_INVALID_JIT_ROLE')
  return {
    idp: protocol === 'oidc' ? oidc(input) : saml(input),
    required: input.required === true,
    breakGlassEmail,
    jitRole: given(input.jitRole) ? text(input.jitRole) : null,
  }
}
