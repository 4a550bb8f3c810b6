/**
 * Which changes make which webhook events, and what each says. Events are written where the audit
 * event is (audit/audit.service.ts), inside the change's transaction: every door (API, web page,
 * CLI, acceptance) produces them, and a change that rolls back leaves none.
 */
import type { CompiledQuery, Kysely } from 'kysely'
import type { AuditEntry } from '../audit/audit.service.ts'
import type { Database } from '../db/schema.ts'
import type { RequestContext, RequestMeta, SystemContext } from '../shared/actor.ts'
import {
  enabledWebhooksOf,
  insertDeliveries,
  insertDeliveriesStatement,
  type NewDelivery,
} from './webhook.repository.ts'
import type { EventType } from './webhook.event-types.ts'
import { webhookSignal } from './webhook.signal.ts'
import { randomId } from '../shared/random-id.ts'

export { EVENT_TYPES, type EventType } from './webhook.event-types.ts'

export type EventActor = { type: 'user' | 'api_key' | 'scim' | 'system'; email?: string }

export interface WebhookEvent {
  type: EventType
  data: Record<string, unknown>
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const num = (v: unknown) => (typeof v === 'number' ? v : undefined)

/** The events an audited change makes (none for sign-ins and the like). Never secrets or codes. */
function eventsOf(entry: AuditEntry): WebhookEvent[] {
  const d = entry.details ?? {}
  const s = entry.subject ?? {}
  const email = entry.target ?? undefined
  switch (entry.action) {
    case 'member.add':
      return [{ type: 'member.added', data: { email, userId: num(s.userId), role: str(d.role) } }]
    case 'invitation.accept':
      return [
        {
          type: 'invitation.accepted',
          data: { email, userId: entry.userId ?? undefined, role: str(d.role) },
        },
        { type: 'member.added', data: { email, userId: entry.userId ?? undefined, role: str(d.role) } },
      ]
    case 'member.remove':
      return [{ type: 'member.removed', data: { email, userId: num(s.userId), role: str(d.role) } }]
    case 'member.role_change':
      return [
        {
          type: 'member.role_changed',
          data: { email, userId: num(s.userId), role: str(d.to), previousRole: str(d.from) },
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
          data: { apiKeyId: Number(entry.target), name: str(d.name), userId: num(d.userId) },
        },
      ]
    case 'api_key.revoke':
      return [{ type: 'api_key.revoked', data: { apiKeyId: Number(entry.target) } }]
    case 'custom_role.create':
      return [{ type: 'custom_role.created', data: { name: entry.target, baseRole: str(d.baseRole) } }]
    case 'custom_role.delete':
      return [{ type: 'custom_role.deleted', data: { name: entry.target } }]
    default:
      return []
  }
}

export function actorOf(
  ctx: RequestContext | SystemContext | RequestMeta | null,
  entry: { userId?: number | null; target?: string | null; action?: string },
): EventActor {
  if (ctx && 'actor' in ctx)
    return { type: ctx.actor.apiKeyId !== null ? 'api_key' : 'user', email: ctx.actor.email }
  // SCIM provisioning: the customer's identity provider acts.
  if (ctx && 'system' in ctx) return { type: ctx.system }
  // Accepting an invitation: the invitee acts, before they have a session.
  if (entry.userId != null)
    return entry.action === 'invitation.accept' && entry.target
      ? { type: 'user', email: entry.target }
      : { type: 'user' }
  return { type: 'system' }
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

/** Deliveries per insert: far below both engines' bound-parameter limits. */
const INSERT_ROWS = 500

/** Writes one delivery per event and subscribed endpoint, in the caller's transaction. */
export async function recordEvents(
  db: Kysely<Database>,
  accountId: number,
  events: readonly WebhookEvent[],
  actor: EventActor,
  now: number,
  only?: number,
) {
  await recordActedEvents(
    db,
    accountId,
    events.map((event) => ({ event, actor, now })),
    only,
  )
}

async function recordActedEvents(
  db: Kysely<Database>,
  accountId: number,
  events: readonly { event: WebhookEvent; actor: EventActor; now: number }[],
  only?: number,
) {
  if (events.length === 0) return
  const hooks = await enabledWebhooksOf(db, accountId)
  const rows = deliveriesOf(accountId, events, hooks, only)
  if (rows.length === 0) return
  for (let i = 0; i < rows.length; i += INSERT_ROWS)
    await insertDeliveries(db, rows.slice(i, i + INSERT_ROWS))
  webhookSignal.emit()
}

/** An enabled endpoint as the account's events are matched against it. */
export interface EnabledWebhook {
  readonly id: number
  readonly events: string | null
}

/** One delivery per event and subscribed endpoint (or only the endpoint `only`), in order. */
function deliveriesOf(
  accountId: number,
  events: readonly { event: WebhookEvent; actor: EventActor; now: number }[],
  hooks: readonly EnabledWebhook[],
  only?: number,
): NewDelivery[] {
  const rows: NewDelivery[] = []
  if (hooks.length === 0) return rows
  for (const { event, actor, now } of events) {
    const eventId = newEventId()
    const payload = payloadOf(accountId, event, actor, now)
    for (const hook of hooks) {
      if (only !== undefined ? hook.id !== only : !subscribes(hook.events, event.type)) continue
      rows.push({ accountId, webhookId: hook.id, eventId, type: event.type, payload, now })
    }
  }
  return rows
}

/**
 * The webhook deliveries of one audited change, given the account's enabled endpoints as the
 * caller read them in its transaction, as a statement to send with its other writes (none when
 * no endpoint subscribes). Signals the worker, as recordAuditedChange does.
 */
export function auditedDeliveriesStatement(
  db: Kysely<Database>,
  ctx: RequestContext | SystemContext | RequestMeta | null,
  entry: AuditEntry,
  hooks: readonly EnabledWebhook[],
): CompiledQuery | undefined {
  const events = eventsOf(entry).map((event) => ({ event, actor: actorOf(ctx, entry), now: entry.now }))
  const rows = deliveriesOf(entry.accountId, events, hooks)
  if (rows.length === 0) return undefined
  webhookSignal.emit()
  return insertDeliveriesStatement(db, rows)
}

/** Called by audit(): the events of an audited change, in its transaction. */
export async function recordAuditedChange(
  db: Kysely<Database>,
  ctx: RequestContext | SystemContext | RequestMeta | null,
  entry: AuditEntry,
) {
  await recordAuditedChanges(db, ctx, [entry])
}

/** Called by auditMany(): the events of many audited changes of one account, in order. */
export async function recordAuditedChanges(
  db: Kysely<Database>,
  ctx: RequestContext | SystemContext | RequestMeta | null,
  entries: readonly AuditEntry[],
) {
  const first = entries[0]
  if (!first) return
  // The endpoints are looked up once, for the first entry's account.
  if (entries.some((e) => e.accountId !== first.accountId))
    throw new Error('recordAuditedChanges takes the entries of one account')
  const events = entries.flatMap((entry) =>
    eventsOf(entry).map((event) => ({ event, actor: actorOf(ctx, entry), now: entry.now })),
  )
  await recordActedEvents(db, first.accountId, events)
}
