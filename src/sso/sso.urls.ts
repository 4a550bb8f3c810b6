/** The values an IdP needs from Roster, all derived from PUBLIC_URL (never from a request's Host). */
export interface ServiceProviderValues {
  /** OIDC: the redirect (callback) URI to register. One for every account: `state` names the flow. */
  redirectUri: string
  /** SAML: Roster's entity id (audience) for this account, which is also its metadata URL. */
  spEntityId: string
  /** SAML: the Assertion Consumer Service URL (recipient), HTTP-POST binding. */
  acsUrl: string
  metadataUrl: string
}

export function serviceProviderValues(publicUrl: string, accountId: number): ServiceProviderValues {
  const metadataUrl = `${publicUrl}/sso/saml/${accountId}/metadata`
  return {
    redirectUri: `${publicUrl}/sso/oidc/callback`,
    spEntityId: metadataUrl,
    acsUrl: `${publicUrl}/sso/saml/${accountId}/acs`,
    metadataUrl,
  }
}
