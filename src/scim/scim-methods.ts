/**
 * The methods each SCIM path takes, read from the routes as they are added, so that a request
 * with another method on a path that exists is answered 405 with an `Allow` header (RFC 9110
 * §15.5.6) rather than 404. Only the routes of the context it is given: SCIM's, under /scim/v2.
 */
import type { FastifyInstance } from 'fastify'

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function routeMethods(app: FastifyInstance): (url: string) => string[] {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>()
  app.addHook('onRoute', (route) => {
    const known = routes.get(route.url) ?? {
      // A path parameter (`:id`) is one segment, possibly empty (`/Users/` reaches `/Users/:id`).
      pattern: new RegExp(`^${escape(route.url).replace(/:\w+/g, '[^/]*')}$`),
      methods: new Set<string>(),
    }
    for (const method of [route.method].flat()) known.methods.add(method)
    routes.set(route.url, known)
  })
  return (url) => {
    const path = url.split('?')[0] ?? ''
    const methods = new Set<string>()
    for (const { pattern, methods: m } of routes.values())
      if (pattern.test(path)) m.forEach((x) => methods.add(x))
    return [...methods].sort()
  }
}
