/**
 * The one module that talks to `@node-saml/node-saml`. It checks the IdP's signature on the
 * assertion (always required), the audience, `NotBefore`/`NotOnOrAfter` and `InResponseTo`
 * (against the request id stored with the flow); this module adds what node-saml leaves out:
 * the Recipient/Destination must be our ACS URL. The domain sees an email and the assertion id.
 */
import { randomBytes } from 'node:crypto'
import type { Profile } from '@node-saml/node-saml'
import { readAssertion, responseDestination } from './saml-xml.ts'

/** Loaded on the first SAML sign-in: most servers never have one, and it weighs on every start. */
const nodeSaml = () => import('@node-saml/node-saml')

export interface SamlSettings {
  /** The IdP's entity id (the assertion's Issuer). */
  readonly idpEntityId: string
  readonly ssoUrl: string
  /** The IdP's signing certificate (PEM body or full PEM). */
  readonly certificate: string
  /** Ours. */
  readonly spEntityId: string
  readonly acsUrl: string
}

export interface SamlIdentity {
  readonly email: string | undefined
  readonly assertionId: string
  readonly expiresAt: number
}

export class SamlFailure extends Error {
  constructor(
    readonly kind: 'refused' | 'invalid',
    detail: string,
  ) {
    super(detail)
    this.name = 'SamlFailure'
  }
}

const CLOCK_SKEW_MS = 60_000
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'
const EMAIL_ATTRIBUTES = [
  'email',
  'mail',
  'urn:oid:0.9.2342.19200300.100.1.3',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
]

async function saml(
  settings: SamlSettings,
  expectedRequestId: string | null,
  generateUniqueId?: () => string,
) {
  const { SAML, ValidateInResponseTo } = await nodeSaml()
  return new SAML({
    ...(generateUniqueId ? { generateUniqueId } : {}),
    entryPoint: settings.ssoUrl,
    issuer: settings.spEntityId,
    callbackUrl: settings.acsUrl,
    audience: settings.spEntityId,
    idpIssuer: settings.idpEntityId,
    idpCert: settings.certificate,
    identifierFormat: EMAIL_FORMAT,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    // Without a flow the answer is still verified (so a replay is recognised), then refused.
    validateInResponseTo:
      expectedRequestId === null ? ValidateInResponseTo.never : ValidateInResponseTo.always,
    // The flow row is the cache: the one request id this answer may respond to.
    cacheProvider: {
      saveAsync: async (key, value) => ({ value, createdAt: Date.now() }),
      getAsync: async (key) =>
        expectedRequestId !== null && key === expectedRequestId ? new Date().toISOString() : null,
      removeAsync: async (key) => key,
    },
  })
}

function emailOf(profile: Profile): string | undefined {
  for (const name of EMAIL_ATTRIBUTES) {
    const value = profile[name]
    if (typeof value === 'string' && value) return value
  }
  if (profile.nameIDFormat === EMAIL_FORMAT || /@/.test(profile.nameID ?? '')) return profile.nameID
  return undefined
}

export const samlAdapter = {
  /** The IdP URL to send the browser to, and the AuthnRequest id to expect back. */
  async start(settings: SamlSettings, relayState: string): Promise<{ url: string; requestId: string }> {
    const requestId = `_${randomBytes(20).toString('hex')}`
    const url = await (
      await saml(settings, null, () => requestId)
    ).getAuthorizeUrlAsync(relayState, undefined, {})
    return { url, requestId }
  },

  async finish(
    settings: SamlSettings,
    samlResponse: string,
    expectedRequestId: string | null,
    now: number,
  ): Promise<SamlIdentity> {
    let profile: Profile | null
    try {
      ;({ profile } = await (
        await saml(settings, expectedRequestId)
      ).validatePostResponseAsync({
        SAMLResponse: samlResponse,
      }))
    } catch (error) {
      const name = error instanceof Error ? error.name : ''
      throw new SamlFailure(
        name === 'SamlStatusError' ? 'refused' : 'invalid',
        error instanceof Error ? error.message : String(error),
      )
    }
    const assertionXml = profile?.getAssertionXml?.()
    const facts = assertionXml ? readAssertion(assertionXml) : undefined
    if (!profile || !facts) throw new SamlFailure('invalid', 'no signed assertion')
    if (facts.recipients.length === 0 || facts.recipients.some((r) => r !== settings.acsUrl)) {
      throw new SamlFailure('invalid', 'recipient is not our ACS URL')
    }
    const destination = responseDestination(Buffer.from(samlResponse, 'base64').toString('utf8'))
    if (destination !== undefined && destination !== settings.acsUrl)
      throw new SamlFailure('invalid', 'destination is not our ACS URL')
    return {
      email: emailOf(profile),
      assertionId: facts.id,
      // Remembered until it could no longer pass the time checks anyway.
      expiresAt: (facts.notOnOrAfter ?? now + 3_600_000) + CLOCK_SKEW_MS,
    }
  },

  /** Roster's SP metadata for the IdP: entity id, ACS URL, signed assertions wanted. */
  async metadata(sp: { spEntityId: string; acsUrl: string }): Promise<string> {
    const { generateServiceProviderMetadata } = await nodeSaml()
    return generateServiceProviderMetadata({
      issuer: sp.spEntityId,
      callbackUrl: sp.acsUrl,
      identifierFormat: EMAIL_FORMAT,
      wantAssertionsSigned: true,
    })
  },
}

export type SamlAdapter = typeof samlAdapter
