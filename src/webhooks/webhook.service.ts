/**
 * Webhook endpoints of an account (ADMIN) and their delivery log. The URL is checked when it is
 * set (scheme, and every address its name resolves to) and again at each delivery.
 */
import { assertActorMay } from '../auth/actor-check.ts'
import type { RequestContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { parseWebhookUrl, resolveTarget } from './webhook.address.ts'
import { webhookError, unknownEventType } from './webhook.errors.ts'
import { EVENT_TYPES, recordTestEvent, requestActor } from './webhook.events.ts'
import type { WebhookOutbox } from './webhook.outbox.ts'
import { webhookSignal } from './webhook.signal.ts'
import {
  deleteWebhook,
  findDelivery,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  resetDelivery,
  updateWebhook,
} from './webhook.repository.ts'
import { generateSecret } from './webhook.signature.ts'
import type { DeliveryStatus, WebhookTable } from './webhook.table.ts'
import type { Selectable } from 'kysely'
import { isRowId } from '../shared/row-id.ts'
import { hasControls } from '../shared/without-controls.ts'

type CreateInput = { url: unknown; events?: string[] | undefined; description?: string | undefined }
type DeliveryQuery = {
  webhookId?: number | undefined
  status?: DeliveryStatus | undefined
  cursor?: string | undefined
  limit?: number | undefined
}

/** After a rotation the previous secret still signs for this long. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

function eventsOf(input: unknown): string | null {
  if (input === undefined || input === null) return null
  const list = input as string[]
  for (const name of list)
    if (!(EVENT_TYPES as readonly string[]).includes(name)) throw unknownEventType(name)
  return list.length === 0 ? null : JSON.stringify([...new Set(list)])
}

function descriptionOf(input: unknown): string | null {
  if (typeof input !== 'string' || input.trim() === '') return null
  if (input.length > 500) throw webhookError('WEBHOOK_DESCRIPTION_TOO_LONG')
  const text = input.trim()
  // The characters names lose (withoutControls), refused here instead: a description is a note
  // the ADMIN wrote to read back, which a silent rewrite would garble (an escape's "[31m" stays).
  if (hasControls(text)) throw webhookError('WEBHOOK_DESCRIPTION_CONTROLS')
  return text
}

function view(w: Selectable<WebhookTable>) {
  return {
    id: w.id,
    url: w.url,
    events: w.events === null ? [] : (JSON.parse(w.events) as string[]),
    description: w.description,
    createdAt: iso(w.created_at)!,
    disabled: w.disabled_at !== null,
    disabledReason: w.disabled_reason,
  }
}

/** How long listing deliveries waits for events held back by a running transaction (PostgreSQL). */
const LIST_HELD_WAIT_MS = 5000

/** The worker's part the service uses: a look soon, and the fan-out itself. */
type Deliveries = Pick<WebhookOutbox, 'kick' | 'fanOut'>

export function webhookService(deps: Deps, worker: Deliveries) {
  const { db } = deps.database
  const onQueued = () => worker.kick()
  const policy = {
    allowHttp: deps.config.webhooks.allowHttp,
    allowPrivate: deps.config.webhooks.allowPrivate,
  }

  async function checkedUrl(raw: unknown): Promise<string> {
    const url = parseWebhookUrl(raw, policy)
    if (!url || !(await resolveTarget(url, policy)).ok) throw webhookError('WEBHOOK_URL_NOT_ALLOWED')
    return url.href
  }

  async function requireWebhook(ctx: RequestContext, id: number) {
    const hook = await findWebhook(db, ctx.actor.accountId, id)
    if (!hook) throw webhookError('WEBHOOK_NOT_FOUND')
    return hook
  }

  async function create(accountId: number, input: CreateInput) {
    const events = eventsOf(input.events)
    const description = descriptionOf(input.description)
    const url = await checkedUrl(input.url)
    const secret = generateSecret()
    const id = await insertWebhook(db, { accountId, url, description, events, secret, now: deps.clock() })
    webhookSignal.endpointsExist(true)
    return { id, url, events: events === null ? [] : (JSON.parse(events) as string[]), secret }
  }

  async function list(accountId: number) {
    return { webhooks: (await listWebhooks(db, accountId)).map(view) }
  }

  async function deliveries(accountId: number, input: DeliveryQuery) {
    const before = input.cursor === undefined ? undefined : Number(input.cursor)
    if (before !== undefined && !isRowId(before)) throw webhookError('INVALID_CURSOR')
    const limit = input.limit ?? 50
    // The log shows every change committed so far: what no worker has fanned out yet (none runs
    // in the CLI, and the server's may be a few milliseconds behind) is fanned out first.
    await worker.fanOut(deps.clock(), LIST_HELD_WAIT_MS)
    const rows = await listDeliveries(db, accountId, {
      webhookId: input.webhookId,
      status: input.status,
      before,
      limit,
    })
    return {
      deliveries: rows.map((r) => ({
        id: r.id,
        webhookId: r.webhook_id,
        eventId: r.event_id,
        type: r.type,
        // A claimed delivery is being attempted: still pending to the reader.
        status: r.status === 'sending' ? ('pending' as const) : r.status,
        attempts: r.attempts,
        lastStatusCode: r.last_status_code,
        lastError: r.last_error,
        lastResponse: r.last_response,
        nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
        createdAt: iso(r.created_at)!,
        deliveredAt: iso(r.delivered_at),
      })),
      nextCursor: rows.length === limit ? String(rows[rows.length - 1]!.id) : null,
    }
  }

  return {
    /** Operator doors (the CLI): no actor, the account named. */
    operator: { create, list, deliveries },

    async create(ctx: RequestContext, input: CreateInput) {
      await assertActorMay(db, ctx.actor, 'webhooks:manage')
      return create(ctx.actor.accountId, input)
    },

    async list(ctx: RequestContext) {
      await assertActorMay(db, ctx.actor, 'webhooks:manage')
      return list(ctx.actor.accountId)
    },

    async update(
      ctx: RequestContext,
      input: { id: number; url?: string; events?: string[]; description?: string; disabled?: boolean },
    ) {
      await assertActorMay(db, ctx.actor, 'webhooks:manage')
      const hook = await requireWebhook(ctx, input.id)
      const set: Parameters<typeof updateWebhook>[3] = {}
      if (input.url !== undefined) set.url = await checkedUrl(input.url)
      if (input.events !== undefined) set.events = eventsOf(input.events)
      if (input.description !== undefined) set.description = descriptionOf(input.description)
      if (input.disabled !== undefined) {
        set.disabled_reason = input.disabled ? 'Disabled by an ADMIN.' : null
        // The times change only when the state does: they bound the events it is sent (those
        // made while it is on), and saving the form again must not move them.
        const disabled = hook.disabled_at !== null
        if (input.disabled && !disabled) set.disabled_at = deps.clock()
        if (!input.disabled && disabled) {
          set.disabled_at = null
          set.enabled_since = deps.clock()
        }
      }
      if (Object.keys(set).length > 0) await updateWebhook(db, ctx.actor.accountId, input.id, set)
      // Re-enabled: what waited in its queue goes out now.
      if (input.disabled === false) onQueued()
      return view(await requireWebhook(ctx, input.id))
    },

    async remove(ctx: RequestContext, id: number) {
      await assertActorMay(db, ctx.actor, 'webhooks:manage')
      if (!(await deleteWebhook(db, ctx.actor.accountId, id))) throw webhookError('WEBHOOK_NOT_FOUND')
      return { id, deleted: true }
    },

    async rotateSecret(ctx: RequestContext, id: number) {
      await assertActorMay(db, ctx.actor, 'webhooks:manage')
      const hook = await requireWebhook(ctx, id)
      const secret = generateSecret()
      await updateWebhook(db, ctx.actor.accountId, id, {
        secret,
        previous_secret: hook.secret,
        previous_secret_until: deps.clock() + ROTATION_OVERLAP_MS,
      })
      return { secret }
    },

    async sendTest(ctx: RequestContext, id: number) {
      await assertActorMay(db, ctx.actor, 'webhooks:manage')
      // A disabled endpoint is sent no event written while it is off: answering "queued" would lie.
      if ((await requireWebhook(ctx, id)).disabled_at !== null) throw webhookError('WEBHOOK_DISABLED')
      const now = deps.clock()
      await db
        .transaction()
        .execute((trx) => recordTestEvent(trx, ctx.actor.accountId, id, requestActor(ctx), now))
      onQueued()
      return { id, queued: true }
    },

    async deliveries(ctx: RequestContext, input: DeliveryQuery) {
      await assertActorMay(db, ctx.actor, 'webhooks:manage')
      return deliveries(ctx.actor.accountId, input)
    },

    async redeliver(ctx: RequestContext, deliveryId: number) {
      await assertActorMay(db, ctx.actor, 'webhooks:manage')
      if (!(await findDelivery(db, ctx.actor.accountId, deliveryId)))
        throw webhookError('WEBHOOK_DELIVERY_NOT_FOUND')
      if (!(await resetDelivery(db, ctx.actor.accountId, deliveryId, deps.clock())))
        throw webhookError('WEBHOOK_DELIVERY_IN_PROGRESS')
      onQueued()
      return { deliveryId, queued: true }
    },
  }
}

export type WebhookService = ReturnType<typeof webhookService>
