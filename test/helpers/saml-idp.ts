/**
 * A SAML 2.0 identity provider for tests, built from xml-crypto's signing and a throwaway key and
 * certificate: a login page at its SSO URL (HTTP-Redirect binding) that posts a signed assertion
 * to the ACS the AuthnRequest names, and `response()` for crafting answers by hand (tampered,
 * unsigned, expired, for another audience or recipient).
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inflateRawSync } from 'node:zlib'
import { generate } from 'selfsigned'
import { SignedXml } from 'xml-crypto'

export interface AuthnRequest {
  requestId: string
  acsUrl: string
  relayState: string
}

export interface ResponseOptions {
  email: string
  inResponseTo: string
  acsUrl: string
  audience: string
  /** Default: five minutes from now. */
  notOnOrAfter?: Date
  /** Default true. */
  sign?: boolean
  /** Signs with another key than the one the SP trusts. */
  foreignKey?: boolean
}

export interface TestSamlIdp {
  readonly entityId: string
  readonly ssoUrl: string
  /** The signing certificate, PEM: what the SP is configured with. */
  readonly certificate: string
  readonly metadata: string
  response(options: ResponseOptions): string
  close(): Promise<void>
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const id = () => `_${randomBytes(16).toString('hex')}`

/** Reads the AuthnRequest a Roster redirect carries. */
export function parseAuthnRequest(redirectUrl: string): AuthnRequest {
  const url = new URL(redirectUrl)
  const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString(
    'utf8',
  )
  return {
    requestId: /\sID="([^"]+)"/.exec(xml)?.[1] ?? '',
    acsUrl: /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1] ?? '',
    relayState: url.searchParams.get('RelayState') ?? '',
  }
}

async function keyPair() {
  const pems = await generate([{ name: 'commonName', value: 'test-idp' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 2 * 86_400_000),
  })
  return { key: pems.private, cert: pems.cert }
}

export async function startSamlIdp(): Promise<TestSamlIdp> {
  const [ours, foreign] = await Promise.all([keyPair(), keyPair()])
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const entityId = `${origin}/metadata`
  const ssoUrl = `${origin}/sso`

  function response(o: ResponseOptions): string {
    const now = new Date()
    const notOnOrAfter = (o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)).toISOString()
    const notBefore = new Date(Math.min(now.getTime(), Date.parse(notOnOrAfter)) - 10 * 60_000).toISOString()
    const issued = new Date(Date.parse(notBefore) + 60_000).toISOString()
    const assertion =
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${issued}">` +
      `<saml:Issuer>${escape(entityId)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escape(o.email)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<saml:SubjectConfirmationData InResponseTo="${escape(o.inResponseTo)}" NotOnOrAfter="${notOnOrAfter}" Recipient="${escape(o.acsUrl)}"/>` +
      `</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${escape(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${issued}" SessionIndex="${id()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      `</saml:Assertion>`
    let xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${issued}" Destination="${escape(o.acsUrl)}" InResponseTo="${escape(o.inResponseTo)}">` +
      `<saml:Issuer>${escape(entityId)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`
    if (o.sign ?? true) {
      const signer = o.foreignKey ? foreign : ours
      const sig = new SignedXml({
        privateKey: signer.key,
        publicCert: signer.cert,
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      })
      sig.addReference({
        xpath: "//*[local-name(.)='Assertion']",
        transforms: [
          'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
          'http://www.w3.org/2001/10/xml-exc-c14n#',
        ],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      })
      sig.computeSignature(xml, {
        location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
      })
      xml = sig.getSignedXml()
    }
    return Buffer.from(xml).toString('base64')
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin)
    if (req.method === 'GET' && url.pathname === '/sso') {
      const request = parseAuthnRequest(url.href)
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.end(
        `<!doctype html><title>Company sign-in</title><h1>Company sign-in</h1><form method="post" action="/login">` +
          `<input type="hidden" name="requestId" value="${escape(request.requestId)}"><input type="hidden" name="acs" value="${escape(request.acsUrl)}">` +
          `<input type="hidden" name="relayState" value="${escape(request.relayState)}">` +
          `<label>Company email <input name="email"></label><button type="submit">Sign in</button></form>`,
      )
      return
    }
    if (req.method === 'POST' && url.pathname === '/login') {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      req.on('end', () => {
        const form = new URLSearchParams(body)
        const acs = form.get('acs') ?? ''
        // The ACS URL is our SP's: the audience is its entity id (the metadata URL beside it).
        const saml = response({
          email: form.get('email') ?? '',
          inResponseTo: form.get('requestId') ?? '',
          acsUrl: acs,
          audience: acs.replace(/\/acs$/, '/metadata'),
        })
        res.setHeader('content-type', 'text/html; charset=utf-8')
        res.end(
          `<!doctype html><title>Signing in…</title><form id="f" method="post" action="${escape(acs)}">` +
            `<input type="hidden" name="SAMLResponse" value="${saml}"><input type="hidden" name="RelayState" value="${escape(form.get('relayState') ?? '')}">` +
            `</form><script>document.getElementById('f').submit()</script>`,
        )
      })
      return
    }
    res.statusCode = 404
    res.end()
  })

  const certBody = ours.cert.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
  const metadata =
    `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escape(entityId)}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certBody}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escape(ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`

  return {
    entityId,
    ssoUrl,
    certificate: ours.cert,
    metadata,
    response,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
