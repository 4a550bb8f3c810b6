const uriList = { type: 'array', items: { type: 'string' }, maxItems: 20 } as const

export const addClientBody = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'A label, 1-200 characters.' },
    redirectUris: {
      ...uriList,
      description: 'Exact redirect URIs (https; http only on localhost or 127.0.0.1).',
    },
    postLogoutRedirectUris: { ...uriList, description: 'Where RP-initiated logout may return to.' },
    public: {
      type: 'boolean',
      description: 'A public client (no secret; PKCE only), e.g. a single-page app.',
    },
  },
  required: ['name', 'redirectUris'],
  example: { name: 'Dashboard', redirectUris: ['https://dash.acme.com/callback'] },
} as const

export const addClientResponse = {
  type: 'object',
  description: '`clientSecret` is shown only here, once; public clients have none.',
  properties: { clientId: { type: 'string' }, clientSecret: { type: 'string' } },
  required: ['clientId'],
  example: { clientId: 'rst_app_3yQ4x0c2bBqY9mXe', clientSecret: 'rst_secret_…' },
} as const

export const clientListResponse = {
  type: 'object',
  properties: {
    oidcClients: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          clientId: { type: 'string' },
          name: { type: 'string' },
          redirectUris: { type: 'array', items: { type: 'string' } },
          postLogoutRedirectUris: { type: 'array', items: { type: 'string' } },
          public: { type: 'boolean' },
          createdAt: { type: 'integer', description: 'Epoch seconds.' },
        },
        required: ['clientId', 'name', 'redirectUris', 'postLogoutRedirectUris', 'public', 'createdAt'],
      },
    },
  },
  required: ['oidcClients'],
} as const

export const deleteClientBody = {
  type: 'object',
  properties: { clientId: { type: 'string' } },
  required: ['clientId'],
  example: { clientId: 'rst_app_3yQ4x0c2bBqY9mXe' },
} as const

export const deleteClientResponse = {
  type: 'object',
  properties: { deleted: { type: 'boolean' } },
  required: ['deleted'],
} as const
