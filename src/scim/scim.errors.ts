/**
 * SCIM's error answers (RFC 7644 §3.12): every failure under /scim/v2 leaves in this shape, with
 * `status` as a string and a `scimType` where the RFC names one.
 */
import { AppError } from '../shared/app-error.ts'

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'

export class ScimError extends AppError {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
  ) {
    super(scimType ? `SCIM_${scimType}` : `SCIM_${status}`, detail)
  }
}

export const scimError = (status: number, scimType: ScimType | undefined, detail: string) =>
  new ScimError(status, scimType, detail)

export function scimErrorBody(status: number, scimType: ScimType | undefined, detail: string) {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail }
}

/** The domain errors SCIM's use cases can meet, as SCIM answers. */
const DOMAIN: Record<string, [number, ScimType | undefined]> = {
  USER_NOT_FOUND: [404, undefined],
  ALREADY_MEMBER: [409, 'uniqueness'],
  LAST_ADMIN: [409, undefined],
  VERSION_MISMATCH: [412, undefined],
  INVALID_EMAIL: [400, 'invalidValue'],
  EMAIL_OUTSIDE_DOMAINS: [400, 'invalidValue'],
  INVALID_USER_ROLE: [400, 'invalidValue'],
  INVALID_NAME: [400, 'invalidValue'],
  DATABASE_UNAVAILABLE: [503, undefined],
  // DELETE /Groups/{id} of a custom role, refused as /api/deleteCustomRole refuses it.
  ROLE_NOT_FOUND: [404, undefined],
  ROLE_USED_BY_USERS: [409, undefined],
  ROLE_USED_BY_INVITES: [409, undefined],
}

const DETAILS: Record<string, string> = {
  LAST_ADMIN: 'The account must keep at least one active ADMIN; this change would leave it without one.',
  ROLE_USED_BY_USERS: "Members hold this group's role; move them to another group before deleting it.",
  ROLE_USED_BY_INVITES:
    "Pending invitations give this group's role; cancel them in Roster before deleting it.",
}

export function fromDomainError(error: AppError): ScimError | undefined {
  if (error instanceof ScimError) return error
  const known = DOMAIN[error.code]
  if (!known) return undefined
  const detail = DETAILS[error.code] ?? error.message
  return new ScimError(known[0], known[1], detail)
}
