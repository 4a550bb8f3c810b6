/** `attributes` / `excludedAttributes` (RFC 7644 §3.9), to two levels (e.g. `name.givenName`). */
import { scimError } from './scim.errors.ts'

const ALWAYS = new Set(['id', 'schemas'])
const URN = /^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i

function paths(list: unknown): string[][] | undefined {
  if (list === undefined) return undefined
  if (typeof list !== 'string')
    throw scimError(400, 'invalidValue', 'attributes must be a comma-separated list.')
  return list
    .split(',')
    .map((p) => p.trim().replace(URN, '').toLowerCase())
    .filter((p) => p !== '')
    .map((p) => p.split('.'))
}

function pick(resource: Record<string, unknown>, include: string[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(resource)) {
    const k = key.toLowerCase()
    if (ALWAYS.has(k)) {
      out[key] = value
      continue
    }
    const wanted = include.filter((p) => p[0] === k)
    if (wanted.length === 0) continue
    if (
      wanted.some((p) => p.length === 1) ||
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value)
    )
      out[key] = value
    else
      out[key] = pick(
        value as Record<string, unknown>,
        wanted.map((p) => p.slice(1)),
      )
  }
  return out
}

function drop(resource: Record<string, unknown>, exclude: string[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(resource)) {
    const k = key.toLowerCase()
    const hits = exclude.filter((p) => p[0] === k)
    if (ALWAYS.has(k) || hits.length === 0) out[key] = value
    else if (hits.some((p) => p.length === 1)) continue
    else if (typeof value === 'object' && value !== null && !Array.isArray(value))
      out[key] = drop(
        value as Record<string, unknown>,
        hits.map((p) => p.slice(1)),
      )
    else out[key] = value
  }
  return out
}

export function projector(query: { attributes?: unknown; excludedAttributes?: unknown }) {
  const include = paths(query.attributes)
  const exclude = paths(query.excludedAttributes)
  return (resource: Record<string, unknown>) =>
    include ? pick(resource, include) : exclude ? drop(resource, exclude) : resource
}
