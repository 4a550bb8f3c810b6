/**
 * The User resource (RFC 7643 §4.1) as Roster keeps it: the wire shape of a member, and the
 * parts of a create/replace body Roster stores. Core attributes Roster does not keep are accepted
 * and ignored (clients send them); anything in no declared schema is `invalidSyntax`.
 */
import type { MemberProfile } from '../team/provisioning.service.ts'
import type { ScimUserRow } from './scim-user.repository.ts'
import { scimError } from './scim.errors.ts'

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** Core User attributes Roster does not keep: accepted and ignored. */
export const IGNORED_USER_ATTRIBUTES = new Set([
  'nickname',
  'profileurl',
  'title',
  'usertype',
  'preferredlanguage',
  'locale',
  'timezone',
  'password',
  'phonenumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'x509certificates',
  'emails',
  'id',
  'meta',
  'schemas',
])

/**
 * The sub-attributes RFC 7643 §4.1.2 (and §3.1 for meta) declares for the complex attributes of
 * the core User, lower-cased: clients send them (Entra's roles[].type, Okta's emails[].primary),
 * so they are accepted; a sub-attribute in no schema is refused like an unknown attribute.
 */
const MULTI_VALUED = ['value', 'display', 'type', 'primary']
const CORE_SUB_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries({
    name: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'],
    emails: MULTI_VALUED,
    phonenumbers: MULTI_VALUED,
    ims: MULTI_VALUED,
    photos: MULTI_VALUED,
    addresses: [
      'formatted',
      'streetAddress',
      'locality',
      'region',
      'postalCode',
      'country',
      'type',
      'primary',
    ],
    groups: ['value', '$ref', 'display', 'type'],
    entitlements: MULTI_VALUED,
    roles: MULTI_VALUED,
    x509certificates: MULTI_VALUED,
    meta: ['resourceType', 'created', 'lastModified', 'location', 'version'],
  }).map(([k, subs]) => [k, new Set(subs.map((x) => x.toLowerCase()))]),
)

/** The multi-valued attributes of the core User (RFC 7643 §4.1.2), lower-cased: always JSON arrays. */
const MULTI_VALUED_ATTRIBUTES = new Set(
  Object.keys(CORE_SUB_ATTRIBUTES).filter((k) => k !== 'name' && k !== 'meta'),
)

/** Refuses an object or a scalar where a multi-valued attribute's list belongs (null is no value). */
export function checkMultiValued(key: string, value: unknown) {
  if (MULTI_VALUED_ATTRIBUTES.has(key.toLowerCase()) && value !== null && !Array.isArray(value))
    throw scimError(400, 'invalidSyntax', `'${key}' is multi-valued: its value must be a JSON array.`)
}

/** Refuses a sub-attribute of a complex core attribute that no schema declares. */
function checkSubAttributes(key: string, value: unknown) {
  const declared = CORE_SUB_ATTRIBUTES[key.toLowerCase()]
  if (!declared) return
  for (const item of Array.isArray(value) ? value : [value]) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue
    for (const sub of Object.keys(item))
      if (!declared.has(sub.toLowerCase()))
        throw scimError(400, 'invalidSyntax', `Unknown attribute '${key}.${sub}'.`)
  }
}

/** What a create or replace body says about a member. */
export interface UserInput {
  userName: string
  active: boolean
  /** undefined when the body names no role. */
  role: string | undefined
  profile: MemberProfile
}

export function version(row: { version: number | string }): string {
  return `W/"${row.version}"`
}

export function userResource(row: ScimUserRow, baseUrl: string) {
  const id = String(row.id)
  const created = new Date(Number(row.createdAt)).toISOString()
  const lastModified = new Date(Number(row.updatedAt ?? row.createdAt)).toISOString()
  const name: Record<string, string> = {}
  if (row.givenName) name.givenName = row.givenName
  if (row.familyName) name.familyName = row.familyName
  const formatted = [row.givenName, row.familyName].filter((x) => x).join(' ')
  if (formatted) name.formatted = formatted
  return {
    schemas: [USER_SCHEMA],
    id,
    ...(row.externalId !== null ? { externalId: row.externalId } : {}),
    userName: row.email,
    name,
    displayName: row.displayName ?? row.name,
    emails: [{ value: row.email, type: 'work', primary: true }],
    active: row.suspendedAt === null,
    roles: [{ value: row.role, display: row.role, primary: true }],
    groups: [
      { value: row.role, display: row.role, $ref: `${baseUrl}/Groups/${encodeURIComponent(row.role)}` },
    ],
    meta: {
      resourceType: 'User',
      created,
      lastModified,
      location: `${baseUrl}/Users/${id}`,
      version: version(row),
    },
  }
}

/** SCIM booleans as clients send them: true/false, or Entra's "True"/"False" strings. */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  throw scimError(400, 'invalidValue', `'${attribute}' must be a boolean.`)
}

export function optionalText(value: unknown, attribute: string): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw scimError(400, 'invalidValue', `'${attribute}' must be a string.`)
  return value
}

/** The role a `roles` value names: the primary entry's value, else the first's. */
export function roleFrom(value: unknown): string | undefined {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]
  const entries = list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
  if (entries.length !== list.length)
    throw scimError(400, 'invalidValue', "'roles' must be a list of {value, primary}.")
  const chosen =
    entries.find(
      (e) => e.primary === true || (typeof e.primary === 'string' && e.primary.toLowerCase() === 'true'),
    ) ?? entries[0]
  if (!chosen) return undefined
  if (typeof chosen.value !== 'string' || chosen.value.trim() === '')
    throw scimError(400, 'invalidValue', "A role's 'value' must be a role name.")
  return chosen.value
}

export function requireSchemas(body: Record<string, unknown>, schema: string) {
  const schemas = body.schemas
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === schema.toLowerCase())
  ) {
    throw scimError(400, 'invalidSyntax', `The request's 'schemas' must include ${schema}.`)
  }
  for (const s of schemas) {
    if (
      typeof s !== 'string' ||
      ![USER_SCHEMA, ENTERPRISE_SCHEMA, schema].some((k) => k.toLowerCase() === s.toLowerCase())
    ) {
      throw scimError(400, 'invalidSyntax', `Unknown schema '${String(s)}'.`)
    }
  }
}

export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw scimError(400, 'invalidSyntax', 'The request body must be a JSON object.')
  return body as Record<string, unknown>
}

/** A create (POST) or replace (PUT) body. */
export function parseUserBody(input: unknown): UserInput {
  const body = asObject(input)
  requireSchemas(body, USER_SCHEMA)
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) {
    const k = key.toLowerCase()
    checkMultiValued(key, value)
    checkSubAttributes(key, value)
    if (k === ENTERPRISE_SCHEMA.toLowerCase() || IGNORED_USER_ATTRIBUTES.has(k)) continue
    if (!['username', 'name', 'displayname', 'externalid', 'active', 'roles'].includes(k)) {
      throw scimError(400, 'invalidSyntax', `Unknown attribute '${key}'.`)
    }
    fields[k] = value
  }
  if (fields.username !== undefined && fields.username !== null && typeof fields.username !== 'string')
    throw scimError(400, 'invalidValue', "'userName' must be a string (the member's email).")
  if (typeof fields.username !== 'string' || fields.username.trim() === '')
    throw scimError(400, 'invalidValue', "'userName' is required.")
  const name = fields.name
  if (name !== undefined && name !== null && (typeof name !== 'object' || Array.isArray(name))) {
    throw scimError(400, 'invalidValue', "'name' must be an object.")
  }
  const n = (name ?? {}) as Record<string, unknown>
  return {
    userName: fields.username,
    active: fields.active === undefined ? true : scimBoolean(fields.active, 'active'),
    role: roleFrom(fields.roles),
    profile: {
      externalId: optionalText(fields.externalid, 'externalId'),
      givenName: optionalText(n.givenName, 'name.givenName'),
      familyName: optionalText(n.familyName, 'name.familyName'),
      displayName: optionalText(fields.displayname, 'displayName'),
    },
  }
}
