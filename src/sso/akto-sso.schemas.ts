/** Bodies and answers of Akto's SSO settings calls (akto-compat.md §8). */
import { SAML_CONFIG_TYPES } from './saml-config-type.ts'

const nullableString = { type: ['string', 'null'] } as const

export const oktaBody = {
  type: 'object',
  description: "Akto's Okta page. `redirectUri` is Akto's own and ignored: Roster's is in the answer.",
  properties: {
    clientId: { type: 'string' },
    clientSecret: { type: 'string', description: 'Write-only: never returned.' },
    authorisationServerId: {
      type: ['string', 'null'],
      description: 'Empty for the org authorisation server.',
    },
    oktaDomain: { type: 'string', description: 'A bare host name, e.g. acme.okta.com.' },
    redirectUri: { type: ['string', 'null'] },
  },
  // In the order the use case checks them: the domain first.
  required: ['oktaDomain', 'clientId', 'clientSecret'],
  example: {
    clientId: '0oa1b2c3d4',
    clientSecret: 'the client secret',
    authorisationServerId: 'default',
    oktaDomain: 'acme.okta.com',
    redirectUri: 'https://app.akto.io/authorization-code/callback',
  },
} as const

export const oktaView = {
  type: 'object',
  description: 'The Okta (OIDC) configuration, never the secret; every field null when none is set.',
  properties: {
    clientId: nullableString,
    oktaDomain: nullableString,
    authorisationServerId: nullableString,
    redirectUri: { ...nullableString, description: "Roster's redirect URI, to register at Okta." },
  },
  required: ['clientId', 'oktaDomain', 'authorisationServerId', 'redirectUri'],
} as const

const configType = {
  type: 'string',
  enum: SAML_CONFIG_TYPES,
  description:
    "Akto's SAML page: Microsoft Entra ID or Google Workspace. One SAML IdP per account; each page sees and deletes only one it added (one set elsewhere: by its login URL, accounts.google.com → GOOGLE_SAML, else AZURE).",
} as const

export const samlBody = {
  type: 'object',
  description:
    "Akto's Azure / Google Workspace pages. `applicationIdentifier` and `acsUrl` are Akto's and ignored.",
  properties: {
    loginUrl: { type: 'string', description: "The IdP's SSO URL." },
    x509Certificate: { type: 'string', description: "The IdP's signing certificate, PEM or base64." },
    ssoEntityId: { type: 'string', description: "The IdP's entity id." },
    applicationIdentifier: { type: ['string', 'null'] },
    acsUrl: { type: ['string', 'null'] },
    configType,
  },
  required: ['loginUrl', 'x509Certificate', 'ssoEntityId', 'configType'],
} as const

export const configTypeBody = {
  type: 'object',
  properties: { configType },
  required: ['configType'],
  example: { configType: 'AZURE' },
} as const

export const samlView = {
  type: 'object',
  description: 'The SAML configuration; both fields null when none is set.',
  properties: { loginUrl: nullableString, ssoEntityId: nullableString },
  required: ['loginUrl', 'ssoEntityId'],
} as const
