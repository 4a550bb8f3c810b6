import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import {
  addWebhookBody,
  addWebhookResponse,
  deletedResponse,
  deliveriesBody,
  deliveriesResponse,
  idBody,
  queuedResponse,
  redeliverBody,
  secretResponse,
  updateWebhookBody,
  webhookListResponse,
  webhookView,
} from './webhook.schemas.ts'
import type { WebhookService } from './webhook.service.ts'
import type { DeliveryStatus } from './webhook.table.ts'
import { emptyBody } from '../team/team.schemas.ts'

const tags = ['webhooks']
const config = { permission: 'webhooks:manage' } as const
const errors = { ...authErrors, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' } } as const

export async function webhookRoutes(app: FastifyInstance, { webhooks }: { webhooks: WebhookService }) {
  app.post<{ Body: { url: string; events?: string[]; description?: string } }>('/api/addWebhook', {
    config,
    schema: {
      tags,
      summary: 'Add a webhook endpoint; its signing secret is shown this once (ADMIN)',
      security,
      body: addWebhookBody,
      response: { 200: addWebhookResponse, ...errors },
    },
    handler: (request) => webhooks.create(request.ctx, request.body),
  })

  app.post('/api/fetchWebhooks', {
    config,
    schema: {
      tags,
      summary: "The account's webhook endpoints (ADMIN)",
      security,
      body: emptyBody,
      response: { 200: webhookListResponse, ...errors },
    },
    handler: (request) => webhooks.list(request.ctx),
  })

  app.post<{
    Body: { id: number; url?: string; events?: string[]; description?: string; disabled?: boolean }
  }>('/api/updateWebhook', {
    config,
    schema: {
      tags,
      summary: 'Change, disable or enable an endpoint (ADMIN)',
      security,
      body: updateWebhookBody,
      response: { 200: webhookView, ...errors },
    },
    handler: (request) => webhooks.update(request.ctx, request.body),
  })

  app.post<{ Body: { id: number } }>('/api/deleteWebhook', {
    config,
    schema: {
      tags,
      summary: 'Delete an endpoint and its delivery log (ADMIN)',
      security,
      body: idBody,
      response: { 200: deletedResponse, ...errors },
    },
    handler: (request) => webhooks.remove(request.ctx, request.body.id),
  })

  app.post<{ Body: { id: number } }>('/api/rotateWebhookSecret', {
    config,
    schema: {
      tags,
      summary: 'A new signing secret; the old one still signs for 24 h (ADMIN)',
      security,
      body: idBody,
      response: { 200: secretResponse, ...errors },
    },
    handler: (request) => webhooks.rotateSecret(request.ctx, request.body.id),
  })

  app.post<{ Body: { id: number } }>('/api/sendTestWebhook', {
    config,
    schema: {
      tags,
      summary: 'Queue a webhook.test event to this endpoint (ADMIN)',
      security,
      body: idBody,
      response: { 200: queuedResponse, ...errors },
    },
    handler: (request) => webhooks.sendTest(request.ctx, request.body.id),
  })

  app.post<{ Body: { webhookId?: number; status?: DeliveryStatus; cursor?: string; limit?: number } }>(
    '/api/fetchWebhookDeliveries',
    {
      config,
      schema: {
        tags,
        summary: 'The delivery log, newest first (ADMIN)',
        security,
        body: deliveriesBody,
        response: { 200: deliveriesResponse, ...errors },
      },
      handler: (request) => webhooks.deliveries(request.ctx, request.body),
    },
  )

  app.post<{ Body: { deliveryId: number } }>('/api/redeliverWebhook', {
    config,
    schema: {
      tags,
      summary: 'Send a delivered or failed event again, with the same webhook-id (ADMIN)',
      security,
      body: redeliverBody,
      response: { 200: queuedResponse, ...errors },
    },
    handler: (request) => webhooks.redeliver(request.ctx, request.body.deliveryId),
  })
}
