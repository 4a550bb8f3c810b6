/**
 * Akto's two SAML pages (akto-compat.md §8): Microsoft Entra ID ("AZURE") and Google Workspace
 * ("GOOGLE_SAML"). Each page sees only a configuration of its own type.
 */
export const SAML_CONFIG_TYPES = ['AZURE', 'GOOGLE_SAML'] as const
export type SamlConfigType = (typeof SAML_CONFIG_TYPES)[number]

/**
 * The page a SAML configuration belongs to: the one that set it, or, for one set through Roster's
 * own SSO API or the CLI (no page), the one its login URL points at.
 */
export function samlConfigTypeOf(stored: SamlConfigType | null, ssoUrl: string | null): SamlConfigType {
  if (stored) return stored
  const host = ssoUrl === null ? '' : URL.canParse(ssoUrl) ? new URL(ssoUrl).hostname : ''
  return host === 'accounts.google.com' ? 'GOOGLE_SAML' : 'AZURE'
}
