import type { Generated } from 'kysely'
import type { SamlConfigType } from './saml-config-type.ts'

/** One account's identity provider. Exactly one protocol's columns are set. */
export interface SsoConfigTable {
  account_id: number
  protocol: 'oidc' | 'saml'
  oidc_issuer: string | null
  oidc_client_id: string | null
  /** Needed in clear to redeem codes; never returned by any endpoint. */
  oidc_client_secret: string | null
  /** Extra scopes beyond `openid email profile`, space-separated. */
  oidc_scopes: string | null
  saml_entity_id: string | null
  saml_sso_url: string | null
  /** The IdP's signing certificate, PEM. */
  saml_certificate: string | null
  /** The Akto page that set a SAML configuration; null when set elsewhere (saml-config-type.ts). */
  saml_config_type: SamlConfigType | null
  /** 1: password sign-in is refused for the account's members (break-glass ADMIN excepted). */
  required: Generated<number>
  break_glass_email: string | null
  /** Role anyone from the account's domains joins with on first SSO sign-in; null: invitation needed. */
  jit_role: string | null
  created_at: number
  updated_at: number
}

/** A sign-in in flight: what the callback needs to check the IdP's answer. Consumed once. */
export interface SsoFlowTable {
  /** OIDC `state` / SAML `RelayState`: random, 256 bits. */
  state: string
  account_id: number
  protocol: 'oidc' | 'saml'
  nonce: string | null
  code_verifier: string | null
  saml_request_id: string | null
  /** An invitation link's code and email when the flow started from that link. */
  invitation_code: string | null
  invitation_email: string | null
  /** The application's sign-in step to land back in (oidc-interaction.ts); null: Roster's page. */
  return_to: string | null
  created_at: number
  expires_at: number
}

/** SAML assertion IDs already consumed, kept until the assertion would have expired anyway. */
export interface SsoAssertionTable {
  account_id: number
  assertion_id: string
  expires_at: number
}
