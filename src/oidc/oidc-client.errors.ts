import { catalogue } from '../shared/app-error.ts'

export const oidcClientError = catalogue({
  INVALID_CLIENT_NAME: 'Application names must be 1 to 200 characters.',
  INVALID_REDIRECT_URI:
    'Redirect URIs must be absolute https URLs (http only for localhost or 127.0.0.1), without a fragment or wildcard.',
  TOO_MANY_REDIRECT_URIS: 'An application may have at most 20 redirect URIs of each kind.',
  OIDC_CLIENT_NOT_FOUND: "Application doesn't exist",
})
