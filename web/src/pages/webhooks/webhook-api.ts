/** The Webhooks page's calls, through the typed client (clients/typescript). */
import { EVENT_TYPES as ALL_TYPES } from '../../../../src/webhooks/webhook.event-types.ts'
import { roster, unwrap } from '../../client.ts'

/** The types an endpoint may choose; the server checks the names again (`Unknown event type: X`). */
export const EVENT_TYPES = ALL_TYPES.filter((type) => type !== 'webhook.test')

export type Webhook = Awaited<ReturnType<typeof fetchWebhooks>>['webhooks'][number]
export type Delivery = Awaited<ReturnType<typeof fetchDeliveries>>['deliveries'][number]

export const fetchWebhooks = () => unwrap(roster.POST('/api/fetchWebhooks', { body: {} }))

export const fetchDeliveries = (webhookId: number) =>
  unwrap(roster.POST('/api/fetchWebhookDeliveries', { body: { webhookId, limit: 50 } }))

export const addWebhook = (url: string, events: string[]) =>
  unwrap(roster.POST('/api/addWebhook', { body: { url, events } }))

export const setDisabled = (id: number, disabled: boolean) =>
  unwrap(roster.POST('/api/updateWebhook', { body: { id, disabled } }))

export const deleteWebhook = (id: number) => unwrap(roster.POST('/api/deleteWebhook', { body: { id } }))

export const rotateSecret = (id: number) => unwrap(roster.POST('/api/rotateWebhookSecret', { body: { id } }))

export const sendTest = (id: number) => unwrap(roster.POST('/api/sendTestWebhook', { body: { id } }))

export const redeliver = (deliveryId: number) =>
  unwrap(roster.POST('/api/redeliverWebhook', { body: { deliveryId } }))
