/**
 * Serves the web page (web/dist, built by `npm install`): hashed assets under /assets/ cached for
 * good, and index.html for each page of the app, the invitation link's /addUserToAccount included.
 * Only these paths: /api/*, /docs, /openapi.json and the probes stay as they are, and an unknown
 * path still answers the JSON 404.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** The app's own paths (web/src/App.tsx); a reload on any of them gets the page. */
export const PAGE_PATHS = [
  '/',
  '/team',
  '/roles',
  '/api-keys',
  '/audit',
  '/single-sign-on',
  '/provisioning',
  '/applications',
  '/webhooks',
  '/login',
  '/setup',
  '/addUserToAccount',
  '/security',
  '/forgotPassword',
  '/resetPassword',
] as const

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Roster</title>
<p>The web page is not built. Run <code>npm install</code> (or <code>npm run build:web</code>) and restart Roster.</p></html>`

export async function webRoutes(app: FastifyInstance, { webDir }: { webDir: string }) {
  const root = resolve(webDir)
  const indexFile = join(root, 'index.html')
  // Read once: the build does not change under a running server.
  const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : undefined

  if (existsSync(join(root, 'assets'))) {
    await app.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      index: false,
      wildcard: true,
      // File names carry a content hash: a new build gets new names.
      immutable: true,
      maxAge: '365d',
      schemaHide: true,
    })
  }

  for (const url of PAGE_PATHS) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .status(index ? 200 : 503)
        .header('content-type', 'text/html; charset=utf-8')
        // The page is tiny and names the current assets: always ask for it anew.
        .header('cache-control', 'no-cache')
        .send(index ?? NOT_BUILT),
    )
  }
}
