/**
 * SCIM filters (RFC 7644 §3.4.2.2), parsed by `scim2-parse-filter` and checked against the
 * attributes Roster can answer from its columns. The result is a small tree the repository turns
 * into SQL; an attribute or operator it cannot answer is `400 invalidFilter`, never a guess.
 */
import { parse, type Filter } from 'scim2-parse-filter'
import { scimError } from './scim.errors.ts'

export type FilterAttr =
  | 'id'
  | 'userName'
  | 'externalId'
  | 'displayName'
  | 'givenName'
  | 'familyName'
  | 'active'
  | 'created'
  | 'lastModified'
  | 'emailType'
  | 'emailPrimary'
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le' | 'pr'
export type FilterValue = string | number | boolean | null

export type ScimFilter =
  | { op: 'and' | 'or'; filters: ScimFilter[] }
  | { op: 'not'; filter: ScimFilter }
  | { op: CompareOp; attr: FilterAttr; value: FilterValue }

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:user:'
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:group:'

const USER_ATTRS: Record<string, FilterAttr> = {
  id: 'id',
  username: 'userName',
  externalid: 'externalId',
  displayname: 'displayName',
  'name.givenname': 'givenName',
  'name.familyname': 'familyName',
  active: 'active',
  emails: 'userName',
  'emails.value': 'userName',
  'emails.type': 'emailType',
  'emails.primary': 'emailPrimary',
  'meta.created': 'created',
  'meta.lastmodified': 'lastModified',
}

const GROUP_ATTRS: Record<string, FilterAttr> = {
  id: 'id',
  displayname: 'displayName',
  externalid: 'externalId',
}

const MAX_FILTER_LENGTH = 2000

function attrOf(path: string, attrs: Record<string, FilterAttr>, prefix = ''): FilterAttr {
  let name = path.toLowerCase()
  for (const schema of [USER_SCHEMA, GROUP_SCHEMA])
    if (name.startsWith(schema)) name = name.slice(schema.length)
  const attr = attrs[prefix + name]
  if (!attr) throw scimError(400, 'invalidFilter', `The filter attribute '${path}' is not supported.`)
  return attr
}

function check(f: Filter, attrs: Record<string, FilterAttr>, prefix = ''): ScimFilter {
  switch (f.op) {
    case 'and':
    case 'or':
      return { op: f.op, filters: f.filters.map((x) => check(x, attrs, prefix)) }
    case 'not':
      return { op: 'not', filter: check(f.filter, attrs, prefix) }
    case '[]': {
      // emails[type eq "work" and value eq "x"]: the inner attributes are the multi-valued one's.
      const outer = f.attrPath.toLowerCase()
      if (outer !== 'emails')
        throw scimError(400, 'invalidFilter', `The filter attribute '${f.attrPath}' is not supported.`)
      return check(f.valFilter, attrs, `${outer}.`)
    }
    case 'pr':
      return { op: 'pr', attr: attrOf(f.attrPath, attrs, prefix), value: null }
    default: {
      const value = f.compValue
      if (value !== null && typeof value === 'object')
        throw scimError(400, 'invalidFilter', 'A filter value must be a string, number, boolean or null.')
      return { op: f.op, attr: attrOf(f.attrPath, attrs, prefix), value }
    }
  }
}

/** The filter's syntax tree; malformed text is `400 invalidFilter` (also in a PATCH path, §3.12). */
export function parseSyntax(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw scimError(400, 'invalidFilter', 'The filter is too long.')
  try {
    return parse(text)
  } catch {
    throw scimError(400, 'invalidFilter', 'The filter is not a valid SCIM filter expression.')
  }
}

function parseWith(text: string, attrs: Record<string, FilterAttr>): ScimFilter {
  return check(parseSyntax(text), attrs)
}

export const parseUserFilter = (text: string) => parseWith(text, USER_ATTRS)
export const parseGroupFilter = (text: string) => parseWith(text, GROUP_ATTRS)
