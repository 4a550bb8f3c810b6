const role = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    baseRole: { type: 'string' },
    defaultInviteRole: { type: 'boolean' },
  },
  required: ['name', 'baseRole', 'defaultInviteRole'],
} as const

export const rolesResponse = {
  type: 'object',
  properties: { roles: { type: 'array', items: role } },
  required: ['roles'],
  example: { roles: [{ name: 'QA_LEAD', baseRole: 'DEVELOPER', defaultInviteRole: false }] },
} as const

export const createRoleBody = {
  type: 'object',
  properties: {
    roleName: { type: 'string', description: '1-50 characters of [A-Za-z0-9_-], stored upper-case.' },
    baseRole: { type: 'string', description: 'The built-in role it acts as.' },
    defaultInviteRole: { type: 'boolean' },
  },
  example: { roleName: 'QA_LEAD', baseRole: 'DEVELOPER', defaultInviteRole: false },
} as const

export const deleteRoleBody = {
  type: 'object',
  properties: { roleName: { type: 'string' } },
  example: { roleName: 'QA_LEAD' },
} as const

export const updateRoleBody = {
  type: 'object',
  properties: {
    roleName: { type: 'string' },
    baseRole: { type: 'string', description: 'The built-in role it acts as from now on.' },
    defaultInviteRole: { type: 'boolean', description: 'Omitted: unchanged.' },
    // Sent by Akto's dashboard; Roster has no per-collection or per-feature grants and ignores them.
    apiCollectionIds: { description: 'Accepted and ignored (Akto).' },
    allowedFeaturesForUser: { description: 'Accepted and ignored (Akto).' },
  },
  example: { roleName: 'QA_LEAD', baseRole: 'MEMBER', defaultInviteRole: false },
} as const
