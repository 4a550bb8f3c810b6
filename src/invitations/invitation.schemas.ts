export const inviteBody = {
  type: 'object',
  properties: {
    inviteeEmail: { type: 'string', description: "Must belong to one of the account's email domains." },
    inviteeRole: { type: 'string', description: "Built-in or custom role within the inviter's hierarchy." },
    inviteeName: { type: 'string', description: 'Optional, used in the email; at most 200 characters.' },
    websiteHostName: {
      type: 'string',
      description: 'Optional origin of the link; must be a configured public origin.',
    },
  },
  example: { inviteeEmail: 'bob@acme.com', inviteeRole: 'DEVELOPER', inviteeName: 'Bob' },
} as const

export const inviteResponse = {
  type: 'object',
  properties: {
    finalInviteCode: {
      type: 'string',
      description: 'The invitation link, valid once, for INVITE_TTL seconds.',
    },
    inviteeRole: { type: 'string' },
  },
  required: ['finalInviteCode', 'inviteeRole'],
  example: {
    finalInviteCode:
      'http://localhost:8080/addUserToAccount?signupInvitationCode=eyJhbGciOiJIUzI1NiJ9...&signupEmailId=bob%40acme.com',
    inviteeRole: 'DEVELOPER',
  },
} as const
