/** The event types (spec: webhooks.md), with no dependencies: the server and the web page share it. */
export const EVENT_TYPES = [
  'member.added',
  'member.removed',
  'member.role_changed',
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'api_key.created',
  'api_key.revoked',
  'custom_role.created',
  'custom_role.deleted',
  'webhook.test',
] as const

export type EventType = (typeof EVENT_TYPES)[number]
