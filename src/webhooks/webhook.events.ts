/**
 * Which audited changes make which webhook events, and what each says. Events are not written by
 * the change: they are read from the audit log after it commits (webhook.fan-out.ts), so every
 * door (API, web page, CLI, acceptance, SCIM) produces them, a change that rolls back leaves none,
 * and a change costs no more with endpoints than without.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { RequestContext } from '../shared/actor.ts'
import { insertDeliveries, type NewDelivery } from './webhook.repository.ts'
import type { EventType } from './webhook.event-types.ts'
import { webhookSignal } from './webhook.signal.ts'
import { randomId } from '../shared/random-id.ts'

export { EVENT_TYPES, type EventType } from './webhook.event-types.ts'

export type EventActor = { type: string; email?: string }

export interface WebhookEvent {
  type: EventType
  data: Record<string, unknown>
}

/** What an audit event says, as the fan-out reads it back. */
export interface AuditedChange {
  action: string
  target: string | null
  /** JSON text. */
  details: string | null
  subject_user_id: number | null
  actor_user_id: number | null
  actor_api_key_id: number | null
  actor_system: string | null
  /** The acting user's email, looked up when read. */
  actor_email: string | null
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const num = (v: unknown) => (typeof v === 'number' ? v : undefined)
const id = (v: number | string | null) => (v === null ? undefined : Number(v))

/** The events an audited change makes (none for sign-ins and the like). Never secrets or codes. */
export function eventsOf(change: AuditedChange): WebhookEvent[] {
  if (!MAKES_EVENTS.has(change.action)) return []
  const d = parseDetails(change.details)
  const email = change.target ?? undefined
  const subject = id(change.subject_user_id)
  switch (change.action) {
    case 'member.add':
      return [{ type: 'member.added', data: { email, userId: subject, role: str(d.role) } }]
    case 'invitation.accept': {
      const data = { email, userId: id(change.actor_user_id), role: str(d.role) }
      return [
        { type: 'invitation.accepted', data },
        { type: 'member.added', data },
      ]
    }
    case 'member.remove':
      return [{ type: 'member.removed', data: { email, userId: subject, role: str(d.role) } }]
    case 'member.role_change':
      return [
        {
          type: 'member.role_changed',
          data: { email, userId: subject, role: str(d.to), previousRole: str(d.from) },
        },
      ]
    case 'invitation.create':
    case 'invitation.replace':
      return [{ type: 'invitation.created', data: { email, role: str(d.role) } }]
    case 'invitation.cancel':
      return [{ type: 'invitation.revoked', data: { email } }]
    case 'api_key.create':
      return [
        {
          type: 'api_key.created',
          data: { apiKeyId: Number(change.target), name: str(d.name), userId: num(d.userId) },
        },
      ]
    case 'api_key.revoke':
      return [{ type: 'api_key.revoked', data: { apiKeyId: Number(change.target) } }]
    case 'custom_role.create':
      return [{ type: 'custom_role.created', data: { name: change.target, baseRole: str(d.baseRole) } }]
    case 'custom_role.delete':
      return [{ type: 'custom_role.deleted', data: { name: change.target } }]
    default:
      return []
  }
}

/** The audit actions eventsOf turns into events. */
const MAKES_EVENTS: ReadonlySet<string> = new Set([
  'member.add',
  'invitation.accept',
  'member.remove',
  'member.role_change',
  'invitation.create',
  'invitation.replace',
  'invitation.cancel',
  'api_key.create',
  'api_key.revoke',
  'custom_role.create',
  'custom_role.delete',
])

export function makesEvents(action: string): boolean {
  return MAKES_EVENTS.has(action)
}

function parseDetails(details: string | null): Record<string, unknown> {
  if (details === null) return {}
  const parsed: unknown = JSON.parse(details)
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
}

/** Who made an audited change, in the words of the events. */
export function actorOfChange(change: AuditedChange): EventActor {
  const email = change.actor_email ?? undefined
  const withEmail = (type: string) => (email === undefined ? { type } : { type, email })
  if (change.actor_api_key_id !== null) return withEmail('api_key')
  // SCIM provisioning: the customer's identity provider acts.
  if (change.actor_system !== null) return { type: change.actor_system }
  // A member, or the invitee accepting an invitation before they have a session.
  if (change.actor_user_id !== null) return withEmail('user')
  // The operator, through the CLI.
  return { type: 'system' }
}

/** The member or API key making a request, in the words of the events. */
export function requestActor(ctx: RequestContext): EventActor {
  return { type: ctx.actor.apiKeyId !== null ? 'api_key' : 'user', email: ctx.actor.email }
}

export function newEventId(): string {
  return `msg_${randomId(16)}`
}

/** The JSON body every endpoint receives for an event. */
export function payloadOf(accountId: number, event: WebhookEvent, actor: EventActor, now: number): string {
  return JSON.stringify({
    type: event.type,
    timestamp: new Date(now).toISOString(),
    data: { accountId, ...event.data, actor },
  })
}

export function subscribes(events: string | null, type: EventType): boolean {
  if (events === null) return true
  const list = JSON.parse(events) as string[]
  return list.length === 0 || list.includes(type)
}

/**
 * A test event (sendTestWebhook): written straight to the one endpoint's queue, in the caller's
 * transaction, since it is no audited change.
 */
export async function recordTestEvent(
  db: Kysely<Database>,
  accountId: number,
  webhookId: number,
  actor: EventActor,
  now: number,
) {
  const event: WebhookEvent = { type: 'webhook.test', data: { webhookId } }
  const row: NewDelivery = {
    accountId,
    webhookId,
    eventId: newEventId(),
    type: event.type,
    payload: payloadOf(accountId, event, actor, now),
    now,
  }
  await insertDeliveries(db, [row])
  webhookSignal.emit()
}
