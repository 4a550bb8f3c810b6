import { MAX_ROW_ID } from '../shared/row-id.ts'
import { EVENT_TYPES } from './webhook.events.ts'

const id = { type: 'integer', minimum: 1, maximum: MAX_ROW_ID } as const
const events = {
  type: 'array',
  maxItems: 50,
  items: { type: 'string', maxLength: 64 },
  description: `Event types to receive; omitted or empty: every type. One of ${EVENT_TYPES.join(', ')}.`,
} as const

export const addWebhookBody = {
  type: 'object',
  properties: {
    url: {
      type: 'string',
      maxLength: 2048,
      description: 'https:// (http:// only with WEBHOOK_ALLOW_HTTP=1); no internal address.',
    },
    events,
    description: { type: 'string', maxLength: 500 },
  },
  required: ['url'],
  additionalProperties: false,
  example: { url: 'https://hooks.acme.com/roster', events: ['member.added', 'member.removed'] },
} as const

export const addWebhookResponse = {
  type: 'object',
  properties: {
    id,
    url: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    secret: { type: 'string', description: 'whsec_… signing secret, shown this once.' },
  },
  required: ['id', 'url', 'events', 'secret'],
} as const

const webhook = {
  type: 'object',
  properties: {
    id,
    url: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    description: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    disabled: { type: 'boolean' },
    disabledReason: { type: ['string', 'null'] },
  },
  required: ['id', 'url', 'events', 'description', 'createdAt', 'disabled'],
} as const

export const webhookView = webhook

export const webhookListResponse = {
  type: 'object',
  properties: { webhooks: { type: 'array', items: webhook } },
  required: ['webhooks'],
} as const

export const updateWebhookBody = {
  type: 'object',
  properties: {
    id,
    url: addWebhookBody.properties.url,
    events,
    description: { type: 'string', maxLength: 500 },
    disabled: { type: 'boolean' },
  },
  required: ['id'],
  additionalProperties: false,
  example: { id: 1, disabled: true },
} as const

export const idBody = {
  type: 'object',
  properties: { id },
  required: ['id'],
  additionalProperties: false,
  example: { id: 1 },
} as const

export const secretResponse = {
  type: 'object',
  properties: {
    secret: {
      type: 'string',
      description: 'The new secret; for 24 h deliveries carry a signature by the old one too.',
    },
  },
  required: ['secret'],
} as const

export const deliveriesBody = {
  type: 'object',
  properties: {
    webhookId: id,
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    cursor: { type: 'string', maxLength: 20, description: 'The previous page’s nextCursor.' },
    limit: { type: 'integer', minimum: 1, maximum: 200 },
  },
  additionalProperties: false,
  example: { status: 'failed', limit: 50 },
} as const

const delivery = {
  type: 'object',
  properties: {
    id,
    webhookId: id,
    eventId: {
      type: 'string',
      description: 'The webhook-id header: the same on every retry and redelivery.',
    },
    type: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: 'integer' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    lastResponse: { type: ['string', 'null'], description: 'The first 4 KB of the last answer.' },
    nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: [
    'id',
    'webhookId',
    'eventId',
    'type',
    'status',
    'attempts',
    'lastStatusCode',
    'lastError',
    'nextAttemptAt',
    'createdAt',
  ],
} as const

export const deliveriesResponse = {
  type: 'object',
  properties: { deliveries: { type: 'array', items: delivery }, nextCursor: { type: ['string', 'null'] } },
  required: ['deliveries', 'nextCursor'],
} as const

export const redeliverBody = {
  type: 'object',
  properties: { deliveryId: id },
  required: ['deliveryId'],
  additionalProperties: false,
  example: { deliveryId: 1 },
} as const

export const queuedResponse = {
  type: 'object',
  properties: { queued: { type: 'boolean' } },
  required: ['queued'],
} as const

export const deletedResponse = {
  type: 'object',
  properties: { id, deleted: { type: 'boolean' } },
  required: ['id', 'deleted'],
} as const
