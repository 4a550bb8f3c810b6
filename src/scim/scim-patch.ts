/**
 * PATCH (RFC 7644 §3.5.2) on a User, as the RFC writes it and as Entra ID sends it: ops in any
 * case (`Replace`), booleans as strings (`"False"`), a path-less replace with an object whose keys
 * may be dotted (`name.givenName`), value filters in paths (`emails[type eq "work"].value`,
 * `roles[primary eq "True"].value`). Applied to the member's current state; the result is saved
 * through the provisioning use case.
 */
import {
  ENTERPRISE_SCHEMA,
  IGNORED_USER_ATTRIBUTES,
  USER_SCHEMA,
  asObject,
  checkMultiValued,
  optionalText,
  roleFrom,
  scimBoolean,
} from './scim-user.resource.ts'
import { parseSyntax } from './scim-filter.ts'
import { scimError } from './scim.errors.ts'

export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

export interface PatchOp {
  op: 'add' | 'replace' | 'remove'
  path: string | undefined
  value: unknown
}

export interface UserState {
  userName: string
  active: boolean
  /** null: the account's SCIM default role. */
  role: string | null
  externalId: string | null
  givenName: string | null
  familyName: string | null
  displayName: string | null
}

/** Checks a PatchOp body and returns its operations, with `op` lower-cased. */
export function parsePatchBody(input: unknown): PatchOp[] {
  const body = asObject(input)
  const schemas = body.schemas
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_SCHEMA.toLowerCase())
  ) {
    throw scimError(400, 'invalidSyntax', `A PATCH body's 'schemas' must be [${PATCH_SCHEMA}].`)
  }
  const ops = body.Operations ?? body.operations
  if (!Array.isArray(ops) || ops.length === 0)
    throw scimError(400, 'invalidSyntax', "A PATCH body needs a non-empty 'Operations' list.")
  if (ops.length > 100) throw scimError(400, 'tooMany', 'At most 100 operations per PATCH.')
  return ops.map((raw) => {
    const o = asObject(raw)
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : ''
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw scimError(400, 'invalidSyntax', `Unknown PATCH op '${String(o.op)}'.`)
    if (o.path !== undefined && (typeof o.path !== 'string' || o.path.trim() === ''))
      throw scimError(400, 'invalidPath', "'path' must be a string.")
    if (typeof o.path === 'string') checkPathSyntax(o.path)
    if (op === 'remove' && o.path === undefined) throw scimError(400, 'noTarget', "A 'remove' needs a path.")
    if (op !== 'remove' && o.value === undefined)
      throw scimError(400, 'invalidValue', `An '${op}' needs a value.`)
    return { op, path: o.path as string | undefined, value: o.value }
  })
}

/**
 * RFC 7644 §3.5.2's path grammar: `attr[.sub]` or `attr[valFilter][.sub]`. Checked before any
 * operation applies, so a malformed path changes nothing: a broken value filter is
 * `invalidFilter` (§3.12), any other malformed path `invalidPath`.
 */
function checkPathSyntax(path: string) {
  const open = path.indexOf('[')
  const close = path.lastIndexOf(']')
  if (open < 0 && close < 0) return
  if (open > 0) parseSyntax(path.slice(open + 1, close > open ? close : undefined))
  if (open <= 0 || close < open || !/^(\.[A-Za-z][\w$-]*)?$/.test(path.slice(close + 1)))
    throw scimError(400, 'invalidPath', `The path '${path}' is malformed.`)
}

function stripSchema(path: string): string | undefined {
  const lower = path.toLowerCase()
  if (lower.startsWith(ENTERPRISE_SCHEMA.toLowerCase())) return undefined
  const core = `${USER_SCHEMA.toLowerCase()}:`
  return lower.startsWith(core) ? path.slice(core.length) : path
}

function setAttribute(state: UserState, op: PatchOp['op'], rawPath: string, value: unknown) {
  const stripped = stripSchema(rawPath)
  if (stripped === undefined) return // the enterprise extension: accepted, not kept
  const path = stripped.toLowerCase()
  const remove = op === 'remove'
  const head = path.split(/[.[]/)[0] ?? ''
  // `emails` itself takes a list; `emails[type eq "work"]` one value and `….value` a sub-attribute.
  if (!remove && path === head) checkMultiValued(stripped, value)
  switch (head) {
    case 'username': {
      if (path !== 'username') break
      if (remove) throw scimError(400, 'mutability', "'userName' is required.")
      if (typeof value !== 'string' || value.toLowerCase() !== state.userName.toLowerCase()) {
        throw scimError(
          400,
          'mutability',
          "'userName' (the member's email) cannot change; remove the user and create them again.",
        )
      }
      return
    }
    case 'active':
      if (path !== 'active') break
      if (remove) throw scimError(400, 'mutability', "'active' cannot be removed.")
      state.active = scimBoolean(value, 'active')
      return
    case 'displayname':
      if (path !== 'displayname') break
      state.displayName = remove ? null : optionalText(value, 'displayName')
      return
    case 'externalid':
      if (path !== 'externalid') break
      state.externalId = remove ? null : optionalText(value, 'externalId')
      return
    case 'name': {
      if (path === 'name') {
        if (remove || value === null) {
          state.givenName = state.familyName = null
          return
        }
        // add and replace alike: sub-attributes the value does not name stay (RFC 7644 §3.5.2.3).
        const n = asObject(value)
        for (const [k, v] of Object.entries(n)) setAttribute(state, op, `name.${k}`, v)
        return
      }
      if (path === 'name.givenname') state.givenName = remove ? null : optionalText(value, 'name.givenName')
      else if (path === 'name.familyname')
        state.familyName = remove ? null : optionalText(value, 'name.familyName')
      else if (
        !['name.formatted', 'name.middlename', 'name.honorificprefix', 'name.honorificsuffix'].includes(path)
      )
        break
      return
    }
    case 'roles':
      // roles, roles[primary eq "True"].value, roles[value eq "X"]: one role per member.
      if (remove) state.role = null
      else state.role = roleFrom(path.endsWith('.value') ? { value, primary: true } : value) ?? null
      return
    default:
      if (IGNORED_USER_ATTRIBUTES.has(head) && head !== 'id' && head !== 'meta' && head !== 'schemas') return
  }
  throw scimError(400, 'invalidPath', `The path '${rawPath}' names no attribute of a User.`)
}

/** Applies the operations to a copy of the state. */
export function applyUserPatch(current: UserState, ops: readonly PatchOp[]): UserState {
  const state = { ...current }
  for (const { op, path, value } of ops) {
    if (path !== undefined) {
      setAttribute(state, op, path, value)
      continue
    }
    // No path: the value is an object of attributes (Entra: keys may be dotted or schema-qualified).
    for (const [key, v] of Object.entries(asObject(value))) {
      if (key.toLowerCase() === ENTERPRISE_SCHEMA.toLowerCase()) continue
      setAttribute(state, op, key, v)
    }
  }
  return state
}
