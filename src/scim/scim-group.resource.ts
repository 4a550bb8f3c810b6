/** The Group resource: one per role of the account, its id the role name. */
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'

export function groupResource(
  role: { name: string; createdAt: number | null },
  members: { id: number; email: string }[] | undefined,
  baseUrl: string,
) {
  const id = role.name
  const when = new Date(role.createdAt ?? 0).toISOString()
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
      created: when,
      lastModified: when,
      location: `${baseUrl}/Groups/${encodeURIComponent(id)}`,
    },
  }
}
