/**
 * Akto's SSO settings calls (akto-compat.md §8) translated onto the one SSO configuration of
 * sso.md: the Okta page becomes an OIDC configuration, the Azure / Google Workspace pages a SAML
 * one. Every change goes through the SSO configuration service, so the rules, the audit event and
 * the ADMIN check are the ones every other door has.
 */
import type { SsoConfigService, SsoConfigView } from './sso-config.service.ts'
import type { SamlConfigType } from './saml-config-type.ts'
import { ssoConfigError } from './sso.errors.ts'
import type { RequestContext } from '../shared/actor.ts'

export interface OktaInput {
  clientId?: unknown
  clientSecret?: unknown
  authorisationServerId?: unknown
  oktaDomain?: unknown
  /** Akto's own callback; Roster's redirect URI is fixed (fetchOktaSso shows it). Ignored. */
  redirectUri?: unknown
}

export interface SamlInput {
  loginUrl?: unknown
  x509Certificate?: unknown
  ssoEntityId?: unknown
  /** Akto's SP values (its entity id and ACS); Roster's own are derived from PUBLIC_URL. Ignored. */
  applicationIdentifier?: unknown
  acsUrl?: unknown
  configType?: unknown
}

/** fetchSAMLSso / deleteSamlSso: the page asking (the body schema allows only these values). */
export interface ConfigTypeInput {
  configType: SamlConfigType
}

/** Akto's dashboard answers "not configured" with null fields: its pages test `!== null`. */
export interface OktaView {
  clientId: string | null
  oktaDomain: string | null
  authorisationServerId: string | null
  redirectUri: string | null
}

export interface SamlView {
  loginUrl: string | null
  ssoEntityId: string | null
}

// A bare DNS name: labels of letters, digits and inner hyphens. No scheme, port, path or userinfo
// can slip into the issuer URL built from it.
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i
const SERVER_ID = /^[A-Za-z0-9_-]{1,100}$/

/** `https://<oktaDomain>/oauth2/<authorisationServerId>`, or `https://<oktaDomain>` without a server id. */
export function oktaIssuer(input: OktaInput): string {
  const domain = typeof input.oktaDomain === 'string' ? input.oktaDomain.trim().toLowerCase() : ''
  if (!HOST_NAME.test(domain)) throw ssoConfigError('SSO_INVALID_OKTA_DOMAIN')
  const raw = input.authorisationServerId ?? ''
  const server = typeof raw === 'string' ? raw.trim() : undefined
  if (server === undefined || (server !== '' && !SERVER_ID.test(server)))
    throw ssoConfigError('SSO_INVALID_OKTA_SERVER')
  return server === '' ? `https://${domain}` : `https://${domain}/oauth2/${server}`
}

export function oktaView(config: SsoConfigView): OktaView {
  if (config.protocol !== 'oidc' || config.issuer === null)
    return { clientId: null, oktaDomain: null, authorisationServerId: null, redirectUri: null }
  const issuer = new URL(config.issuer)
  return {
    clientId: config.clientId,
    oktaDomain: issuer.host,
    authorisationServerId: /^\/oauth2\/([^/]+)$/.exec(issuer.pathname)?.[1] ?? '',
    redirectUri: config.redirectUri,
  }
}

/** The SAML configuration as the page of `configType` sees it: another page's is not there. */
export function samlView(config: SsoConfigView, configType: SamlConfigType): SamlView {
  return config.protocol === 'saml' && config.samlConfigType === configType
    ? { loginUrl: config.samlSsoUrl, ssoEntityId: config.samlEntityId }
    : { loginUrl: null, ssoEntityId: null }
}

export function aktoSso(ssoConfig: SsoConfigService) {
  return {
    async addOkta(ctx: RequestContext, input: OktaInput): Promise<OktaView> {
      const issuer = oktaIssuer(input)
      const config = { protocol: 'oidc', issuer, clientId: input.clientId, clientSecret: input.clientSecret }
      return oktaView(await ssoConfig.set(ctx, config, { onlyIfAbsent: true }))
    },
    fetchOkta: async (ctx: RequestContext) => oktaView(await ssoConfig.get(ctx)),
    deleteOkta: async (ctx: RequestContext) => oktaView(await ssoConfig.remove(ctx, { protocol: 'oidc' })),

    async addSaml(ctx: RequestContext, input: SamlInput): Promise<SamlView> {
      const config = {
        protocol: 'saml',
        samlEntityId: input.ssoEntityId,
        samlSsoUrl: input.loginUrl,
        samlCertificate: input.x509Certificate,
      }
      const samlConfigType = input.configType as SamlConfigType
      return samlView(
        await ssoConfig.set(ctx, config, { onlyIfAbsent: true, samlConfigType }),
        samlConfigType,
      )
    },
    fetchSaml: async (ctx: RequestContext, { configType }: ConfigTypeInput) =>
      samlView(await ssoConfig.get(ctx), configType),
    async deleteSaml(ctx: RequestContext, { configType }: ConfigTypeInput) {
      return samlView(
        await ssoConfig.remove(ctx, { protocol: 'saml', samlConfigType: configType }),
        configType,
      )
    },
  }
}

export type AktoSso = ReturnType<typeof aktoSso>
