const nullableString = { type: ['string', 'null'] } as const

export const ssoConfigBody = {
  type: 'object',
  description:
    'OIDC (issuer, clientId, clientSecret, scopes) or SAML (samlMetadata, or samlEntityId + samlSsoUrl + samlCertificate).',
  properties: {
    protocol: { type: 'string', enum: ['oidc', 'saml', 'OIDC', 'SAML'] },
    issuer: {
      type: 'string',
      description: 'OIDC issuer URL (discovery at /.well-known/openid-configuration).',
    },
    clientId: { type: 'string' },
    clientSecret: {
      type: 'string',
      description: 'Write-only. Omit on an edit of the same client to keep the stored one.',
    },
    scopes: {
      type: ['string', 'array'],
      items: { type: 'string' },
      description: 'Extra scopes beyond openid email profile.',
    },
    samlMetadata: { type: 'string', description: "The IdP's metadata XML." },
    samlEntityId: { type: 'string' },
    samlSsoUrl: { type: 'string' },
    samlCertificate: { type: 'string', description: "The IdP's signing certificate, PEM." },
    required: { type: 'boolean', description: "Refuse passwords for the account's members." },
    breakGlassEmail: {
      type: ['string', 'null'],
      description: 'An ADMIN who may still use a password when SSO is required.',
    },
    jitRole: {
      type: ['string', 'null'],
      description: "Role anyone from the account's domains joins with on first SSO sign-in.",
    },
  },
  example: {
    issuer: 'https://acme.okta.com/oauth2/default',
    clientId: '0oa1b2c3d4',
    clientSecret: 'the client secret',
    required: true,
    breakGlassEmail: 'ada@acme.com',
    jitRole: 'GUEST',
  },
} as const

export const ssoConfigView = {
  type: 'object',
  description: 'The configuration (never the client secret) and the values to enter in the IdP.',
  properties: {
    configured: { type: 'boolean' },
    protocol: { type: ['string', 'null'], enum: ['oidc', 'saml', null] },
    domains: { type: 'array', items: { type: 'string' } },
    issuer: nullableString,
    clientId: nullableString,
    hasClientSecret: { type: 'boolean' },
    scopes: { type: 'array', items: { type: 'string' } },
    samlEntityId: nullableString,
    samlSsoUrl: nullableString,
    samlCertificateFingerprint: nullableString,
    required: { type: 'boolean' },
    breakGlassEmail: nullableString,
    jitRole: nullableString,
    redirectUri: { type: 'string', description: 'OIDC: the sign-in redirect URI to register at the IdP.' },
    spEntityId: { type: 'string', description: 'SAML: Audience URI / SP entity id.' },
    acsUrl: {
      type: 'string',
      description: 'SAML: Single sign-on URL / Assertion Consumer Service (HTTP-POST).',
    },
    metadataUrl: { type: 'string', description: "SAML: Roster's SP metadata." },
  },
  required: [
    'configured',
    'protocol',
    'domains',
    'issuer',
    'clientId',
    'hasClientSecret',
    'scopes',
    'samlEntityId',
    'samlSsoUrl',
    'samlCertificateFingerprint',
    'required',
    'breakGlassEmail',
    'jitRole',
    'redirectUri',
    'spEntityId',
    'acsUrl',
    'metadataUrl',
  ],
} as const

export const startSsoBody = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    accountId: {
      type: ['integer', 'string'],
      description: 'When the email belongs to several SSO accounts: the one chosen.',
    },
    signupInvitationCode: { type: 'string', description: 'Starting from an invitation link: its code…' },
    signupEmailId: { type: 'string', description: '…and its email.' },
    returnTo: {
      type: 'string',
      description:
        "Started from an application's sign-in (Sign in with Roster): the `/oidc/interaction/…` path the sign-in page was given as `return`, where the flow lands once signed in.",
    },
  },
  example: { email: 'bob@acme.com' },
} as const

export const startSsoResponse = {
  type: 'object',
  description:
    "`redirectUrl`: send the browser there (the account's IdP). `accounts`: the email is in several SSO accounts; call again with one `accountId`.",
  properties: {
    redirectUrl: { type: 'string' },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        properties: { accountId: { type: 'integer' }, name: { type: 'string' } },
        required: ['accountId', 'name'],
      },
    },
  },
  example: { redirectUrl: 'https://acme.okta.com/oauth2/default/v1/authorize?…' },
} as const
