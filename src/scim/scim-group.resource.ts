/** The Group resource: one per role of the account, its id the role name. */
import type { GroupRow } from './scim-group.repository.ts'
import { asObject, requireSchemas, version } from './scim-user.resource.ts'
import { scimError } from './scim.errors.ts'

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'

/** A POST /Groups body: the displayName it names (members are set with PATCH). */
export function parseGroupBody(input: unknown): string {
  const body = asObject(input)
  requireSchemas(body, GROUP_SCHEMA)
  if (typeof body.displayName !== 'string' || body.displayName.trim() === '')
    throw scimError(400, 'invalidValue', "'displayName' is required.")
  return body.displayName.trim()
}

export function groupResource(
  role: GroupRow,
  members: { id: number; email: string }[] | undefined,
  baseUrl: string,
) {
  const id = role.name
  return {
    schemas: [GROUP_SCHEMA],
    id,
    displayName: role.name,
    ...(members
      ? {
          members: members.map((m) => ({
            value: String(m.id),
            display: m.email,
            $ref: `${baseUrl}/Users/${m.id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: new Date(role.createdAt).toISOString(),
      lastModified: new Date(role.updatedAt ?? role.createdAt).toISOString(),
      location: `${baseUrl}/Groups/${encodeURIComponent(id)}`,
      version: version(role),
    },
  }
}
