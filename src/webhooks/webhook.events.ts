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

/** What an audited change says, parsed once for the rule of its action. */
interface Facts {
  change: AuditedChange
  d: Record<string, unknown>
  email: string | undefined
  subject: number | undefined
}

/** A new invitation, or one that replaces the pending one for that email. */
const invitationCreated = ({ d, email }: Facts): WebhookEvent[] => [
  { type: 'invitation.created', data: { email, role: str(d.role) } },
]

/**
 * The events each audit action makes; an action not listed makes none (sign-ins and the like).
 * Never secrets or codes.
 */
const EVENTS: Readonly<Record<string, (f: Facts) => WebhookEvent[]>> = {
  'member.add': ({ d, email, subject }) => [
    { type: 'member.added', data: { email, userId: subject, role: str(d.role) } },
  ],
  'invitation.accept': ({ change, d, email }) => {
    const data = { email, userId: id(change.actor_user_id), role: str(d.role) }
    return [
      { type: 'invitation.accepted', data },
      { type: 'member.added', data },
    ]
  },
  'member.remove': ({ d, email, subject }) => [
    { type: 'member.removed', data: { email, userId: subject, role: str(d.role) } },
  ],
  'member.role_change': ({ d, email, subject }) => [
    {
      type: 'member.role_changed',
      data: { email, userId: subject, role: str(d.to), previousRole: str(d.from) },
    },
  ],
  'invitation.create': invitationCreated,
  'invitation.replace': invitationCreated,
  'invitation.cancel': ({ email }) => [{ type: 'invitation.revoked', data: { email } }],
  'api_key.create': ({ change, d }) => [
    {
      type: 'api_key.created',
      data: { apiKeyId: Number(change.target), name: str(d.name), userId: num(d.userId) },
    },
  ],
  'api_key.revoke': ({ change }) => [{ type: 'api_key.revoked', data: { apiKeyId: Number(change.target) } }],
  'custom_role.create': ({ change, d }) => [
    { type: 'custom_role.created', data: { name: change.target, baseRole: str(d.baseRole) } },
  ],
  'custom_role.delete': ({ change }) => [{ type: 'custom_role.deleted', data: { name: change.target } }],
}

/** The events an audited change makes. */
export function eventsOf(change: AuditedChange): WebhookEvent[] {
  const rule = EVENTS[change.action]
  if (!rule) return []
  return rule({
    change,
    d: parseDetails(change.details),
    email: change.target ?? undefined,
    subject: id(change.subject_user_id),
  })
}

export function makesEvents(action: string): boolean {
  return Object.hasOwn(EVENTS, action)
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

/**
 * The webhook-id of the `index`th event an audited change makes: derived, not drawn, so that a
 * batch sent again after a crash (its first sending never written down) carries the same ids.
 * The database's salt and the change's time keep ids apart across databases and restores.
 */
export function eventIdOf(salt: string, change: { id: number; created_at: number }, index: number): string {
  return `msg_${salt}${change.id.toString(36)}_${change.created_at.toString(36)}${index === 0 ? '' : `_${index}`}`
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
