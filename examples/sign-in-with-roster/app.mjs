// A web app that signs people in with Roster and shows their role.
//   ROSTER_URL=http://localhost:8080 CLIENT_ID=… CLIENT_SECRET=… PORT=3000 node examples/sign-in-with-roster/app.mjs
// Register it first: roster oidc-client create --account 1 --name Example --redirect-uri http://localhost:3000/callback
import { createServer } from 'node:http'
import * as client from 'openid-client'
import { createRemoteJWKSet, jwtVerify } from 'jose'

const roster = new URL(process.env.ROSTER_URL ?? 'http://localhost:8080')
const port = Number(process.env.PORT ?? 3000)
const app = `http://localhost:${port}`
const insecure = roster.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined
const config = await client.discovery(
  roster,
  process.env.CLIENT_ID,
  process.env.CLIENT_SECRET,
  undefined,
  insecure,
)
const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri))
const pending = new Map() // state → PKCE verifier; a real app keeps it in its own session

createServer(async (req, res) => {
  const url = new URL(req.url, app)
  if (url.pathname === '/') {
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    pending.set(state, verifier)
    const signIn = client.buildAuthorizationUrl(config, {
      redirect_uri: `${app}/callback`,
      scope: 'openid email profile roster',
      resource: app, // the access token is a JWT for this app (aud = app)
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    })
    return res.writeHead(302, { location: signIn.href }).end()
  }
  if (url.pathname !== '/callback') return res.writeHead(404).end()
  const state = url.searchParams.get('state')
  try {
    const tokens = await client.authorizationCodeGrant(config, url, {
      pkceCodeVerifier: pending.get(state),
      expectedState: state,
    })
    const who = tokens.claims()
    // What an API of this app does with the bearer token: verify it offline and read the role.
    const { payload } = await jwtVerify(tokens.access_token, jwks, {
      issuer: config.serverMetadata().issuer,
      audience: app,
      typ: 'at+jwt',
    })
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(
      `Signed in as ${who.email}: ${who.role} in ${who.account_name}\nAccess token role: ${payload.role}\n`,
    )
  } catch (error) {
    res
      .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`Sign-in failed: ${error.error ?? error.message}\n`)
  } finally {
    pending.delete(state)
  }
}).listen(port, () => console.log(`Example app on ${app}`))
