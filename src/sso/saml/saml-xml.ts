/** Reading the few SAML XML values node-saml does not check or hand over: pure, no I/O. */
import { DOMParser } from '@xmldom/xmldom'

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata'
const DS = 'http://www.w3.org/2000/09/xmldsig#'
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion'
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'

function parse(xml: string): Document | undefined {
  let failed = false
  const doc = new DOMParser({
    errorHandler: { error: () => (failed = true), fatalError: () => (failed = true) },
  }).parseFromString(xml, 'text/xml')
  return failed || !doc?.documentElement ? undefined : (doc as unknown as Document)
}

export interface IdpMetadata {
  entityId: string
  ssoUrl: string
  certificate: string
}

/** The IdP's entity id, HTTP-Redirect SSO URL and signing certificate from its metadata XML. */
export function readIdpMetadata(xml: string): IdpMetadata | undefined {
  const doc = parse(xml)
  if (!doc) return undefined
  const entity = doc.getElementsByTagNameNS(MD, 'EntityDescriptor')[0]
  const idp = entity?.getElementsByTagNameNS(MD, 'IDPSSODescriptor')[0]
  if (!entity || !idp) return undefined
  const sso = Array.from(idp.getElementsByTagNameNS(MD, 'SingleSignOnService')).find(
    (s) => s.getAttribute('Binding') === REDIRECT_BINDING,
  )
  const keys = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor')).filter(
    (k) => !k.getAttribute('use') || k.getAttribute('use') === 'signing',
  )
  const certificate = keys.map(
    (k) => k.getElementsByTagNameNS(DS, 'X509Certificate')[0]?.textContent ?? '',
  )[0]
  const entityId = entity.getAttribute('entityID') ?? ''
  const ssoUrl = sso?.getAttribute('Location') ?? ''
  if (!entityId || !ssoUrl || !certificate) return undefined
  return { entityId, ssoUrl, certificate: certificate.replace(/\s+/g, '') }
}

export interface AssertionFacts {
  id: string
  /** SubjectConfirmationData Recipient attributes (the ACS the IdP meant it for). */
  recipients: string[]
  /** The latest NotOnOrAfter the assertion names, in ms; how long its ID must be remembered. */
  notOnOrAfter: number | undefined
}

export function readAssertion(xml: string): AssertionFacts | undefined {
  const doc = parse(xml)
  const assertion = doc?.documentElement
  if (!assertion || assertion.localName !== 'Assertion' || assertion.namespaceURI !== ASSERTION)
    return undefined
  const id = assertion.getAttribute('ID')
  if (!id) return undefined
  const confirmations = Array.from(assertion.getElementsByTagNameNS(ASSERTION, 'SubjectConfirmationData'))
  const conditions = Array.from(assertion.getElementsByTagNameNS(ASSERTION, 'Conditions'))
  const times = [...confirmations, ...conditions]
    .map((e) => Date.parse(e.getAttribute('NotOnOrAfter') ?? ''))
    .filter((t) => Number.isFinite(t))
  return {
    id,
    recipients: confirmations.map((c) => c.getAttribute('Recipient') ?? ''),
    notOnOrAfter: times.length ? Math.max(...times) : undefined,
  }
}

/** The Response's Destination, when it names one. */
export function responseDestination(xml: string): string | undefined {
  return parse(xml)?.documentElement?.getAttribute('Destination') || undefined
}
