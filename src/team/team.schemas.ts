import { hierarchySchema } from '../http/schemas.ts'

export const emptyBody = { type: 'object', description: 'No fields; unknown fields are ignored.' } as const

export const teamDataResponse = {
  type: 'array',
  description: 'Members first (by id), then pending, unexpired invitations (by creation).',
  items: {
    type: 'object',
    properties: {
      id: { type: 'integer', description: "The member's user id; for an invitation, the inviter's." },
      login: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', description: 'Role name, or "Invitation sent for <ROLE>".' },
      isInvitation: { type: 'boolean' },
      expiresAt: { type: 'string', format: 'date-time', description: 'Invitations only.' },
      emailStatus: { type: 'string', description: 'Invitations only: delivery status of the email.' },
    },
    required: ['id', 'login', 'name', 'role'],
  },
  example: [
    { id: 1001, login: 'john@acme.com', name: 'John Doe', role: 'ADMIN' },
    { id: 1001, login: 'bob@acme.com', name: '-', role: 'Invitation sent for DEVELOPER', isInvitation: true },
  ],
} as const

export const removeUserBody = {
  type: 'object',
  properties: { email: { type: 'string', description: 'A member or a pending invitation.' } },
  example: { email: 'bob@acme.com' },
} as const

export const makeAdminBody = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    userRole: { type: 'string', description: 'Built-in or custom role name (case-insensitive).' },
  },
  example: { email: 'bob@acme.com', userRole: 'MEMBER' },
} as const

export const teamChangeResponse = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    id: { type: 'integer' },
    passwordResetToken: { type: 'null' },
    roleHierarchy: { type: 'string' },
    userRoleHierarchy: hierarchySchema,
    users: { type: 'null' },
  },
  required: ['email', 'id', 'passwordResetToken', 'roleHierarchy', 'userRoleHierarchy', 'users'],
  example: {
    email: 'bob@acme.com',
    id: 0,
    passwordResetToken: null,
    roleHierarchy: 'SUCCESS',
    userRoleHierarchy: ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'],
    users: null,
  },
} as const
