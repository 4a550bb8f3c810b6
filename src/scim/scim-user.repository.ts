/**
 * SCIM's reads of an account's members: one row per membership with its SCIM profile, and
 * filters translated into SQL over indexed columns (userName → the unique users.email, externalId
 * → (account_id, external_id), id → the membership key). Never the whole team in memory.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { FilterValue, ScimFilter } from './scim-filter.ts'
import { scimError } from './scim.errors.ts'
import { isRowId } from '../shared/row-id.ts'

type Db = Kysely<Database>
type Eb = ExpressionBuilder<Database & { m: Database['memberships']; u: Database['users'] }, 'm' | 'u'>

function base(db: Db, accountId: number) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.account_id', '=', accountId)
}

const columns = [
  'u.id as id',
  'u.email as email',
  'u.name as name',
  'm.role as role',
  'm.created_at as createdAt',
  'm.updated_at as updatedAt',
  'm.version as version',
  'm.suspended_at as suspendedAt',
  'm.external_id as externalId',
  'm.given_name as givenName',
  'm.family_name as familyName',
  'm.display_name as displayName',
] as const

export type ScimUserRow = Awaited<ReturnType<typeof findScimUser>> & {}

export function findScimUser(db: Db, accountId: number, userId: number) {
  return base(db, accountId).where('m.user_id', '=', userId).select(columns).executeTakeFirst()
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

function timeOf(value: FilterValue): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN
  if (Number.isNaN(ms))
    throw scimError(400, 'invalidFilter', 'A date filter needs an RFC 3339 date-time value.')
  return ms
}

function compareText(
  eb: Eb,
  column: Expression<string | null>,
  op: string,
  value: FilterValue,
  lower: boolean,
): Expression<SqlBool> {
  if (typeof value !== 'string') {
    if (value === null && op === 'eq') return eb(column, 'is', null)
    if (value === null && op === 'ne') return eb(column, 'is not', null)
    throw scimError(400, 'invalidFilter', 'A text attribute is compared with a string.')
  }
  const v = lower ? value.toLowerCase() : value
  switch (op) {
    case 'eq':
      return eb(column, '=', v)
    case 'ne':
      return eb(column, '<>', v)
    case 'co':
      return sql<SqlBool>`${column} like ${`%${likeEscape(v)}%`} escape '\\'`
    case 'sw':
      return sql<SqlBool>`${column} like ${`${likeEscape(v)}%`} escape '\\'`
    case 'ew':
      return sql<SqlBool>`${column} like ${`%${likeEscape(v)}`} escape '\\'`
    case 'gt':
      return eb(column, '>', v)
    case 'ge':
      return eb(column, '>=', v)
    case 'lt':
      return eb(column, '<', v)
    default:
      return eb(column, '<=', v)
  }
}

const ORDER: Record<string, '=' | '<>' | '>' | '>=' | '<' | '<='> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
}

function compareNumber(
  eb: Eb,
  column: Expression<number | null>,
  op: string,
  value: number,
): Expression<SqlBool> {
  const sqlOp = ORDER[op]
  if (!sqlOp) throw scimError(400, 'invalidFilter', `The operator '${op}' does not apply to this attribute.`)
  return eb(column, sqlOp, value)
}

/** A boolean attribute's filter value: true/false, or Entra's "True"/"False"; anything else is refused. */
function booleanOf(value: FilterValue, attribute: string): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  throw scimError(400, 'invalidFilter', `'${attribute}' is a boolean: compare it with true or false.`)
}

const yes = sql<SqlBool>`1 = 1`
const no = sql<SqlBool>`1 = 0`

/** A constant attribute (every member has one work email, and it is primary). */
function constant(op: string, actual: string | boolean, value: FilterValue): Expression<SqlBool> {
  const same =
    typeof actual === 'string' && typeof value === 'string'
      ? actual === value.toLowerCase()
      : actual === value
  if (op === 'pr') return yes
  if (op === 'eq') return same ? yes : no
  if (op === 'ne') return same ? no : yes
  throw scimError(400, 'invalidFilter', `The operator '${op}' does not apply to this attribute.`)
}

function where(eb: Eb, f: ScimFilter): Expression<SqlBool> {
  if ('filters' in f)
    return f.op === 'and'
      ? eb.and(f.filters.map((x) => where(eb, x)))
      : eb.or(f.filters.map((x) => where(eb, x)))
  if ('filter' in f) return eb.not(where(eb, f.filter))
  const { op, value } = f
  switch (f.attr) {
    case 'id': {
      if (op === 'pr') return yes
      const id =
        typeof value === 'string' && /^\d{1,15}$/.test(value)
          ? Number(value)
          : typeof value === 'number'
            ? value
            : NaN
      // An id that is not one of ours matches nothing (and is not an error: ids are opaque to clients).
      if (!isRowId(id)) return op === 'ne' ? yes : no
      return compareNumber(eb, eb.ref('m.user_id'), op, id)
    }
    case 'userName':
      return op === 'pr' ? yes : compareText(eb, eb.ref('u.email'), op, value, true)
    case 'externalId':
      return op === 'pr'
        ? eb('m.external_id', 'is not', null)
        : compareText(eb, eb.ref('m.external_id'), op, value, false)
    case 'displayName': {
      const name = eb.fn.coalesce('m.display_name', 'u.name')
      return op === 'pr' ? yes : compareText(eb, name, op, value, false)
    }
    case 'givenName':
      return op === 'pr'
        ? eb('m.given_name', 'is not', null)
        : compareText(eb, eb.ref('m.given_name'), op, value, false)
    case 'familyName':
      return op === 'pr'
        ? eb('m.family_name', 'is not', null)
        : compareText(eb, eb.ref('m.family_name'), op, value, false)
    case 'active': {
      if (op === 'pr') return yes
      if (op !== 'eq' && op !== 'ne')
        throw scimError(400, 'invalidFilter', `The operator '${op}' does not apply to active.`)
      const active = booleanOf(value, 'active')
      return eb('m.suspended_at', active === (op === 'eq') ? 'is' : 'is not', null)
    }
    case 'created':
      return op === 'pr' ? yes : compareNumber(eb, eb.ref('m.created_at'), op, timeOf(value))
    case 'lastModified':
      return op === 'pr'
        ? yes
        : compareNumber(eb, eb.fn.coalesce('m.updated_at', 'm.created_at'), op, timeOf(value))
    case 'emailType':
      return constant(op, 'work', value)
    case 'emailPrimary':
      return constant(op, true, op === 'pr' ? null : booleanOf(value, 'emails.primary'))
  }
}

/** One page of members matching `filter`, in id order, and how many match in all. */
export async function listScimUsers(
  db: Db,
  accountId: number,
  filter: ScimFilter | null,
  offset: number,
  limit: number,
) {
  const filtered = filter
    ? base(db, accountId).where((eb) => where(eb as unknown as Eb, filter))
    : base(db, accountId)
  const [rows, total] = await Promise.all([
    limit === 0
      ? Promise.resolve([])
      : filtered.select(columns).orderBy('m.user_id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(total.n) }
}

/** The SQL of a filtered page, for tests and benchmarks that check the query plan. */
export function compileScimUserPage(db: Db, accountId: number, filter: ScimFilter, limit: number) {
  return base(db, accountId)
    .where((eb) => where(eb as unknown as Eb, filter))
    .select(columns)
    .orderBy('m.user_id')
    .limit(limit)
    .compile()
}

/** The members holding one role (a SCIM group's members), in id order. */
export function membersWithRole(db: Db, accountId: number, role: string) {
  return base(db, accountId)
    .where('m.role', '=', role)
    .select(['u.id as id', 'u.email as email'])
    .orderBy('m.user_id')
    .execute()
}
