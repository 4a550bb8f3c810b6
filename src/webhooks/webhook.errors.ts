import { AppError, catalogue } from '../shared/app-error.ts'

export const webhookError = catalogue({
  WEBHOOK_URL_NOT_ALLOWED: 'Webhook URL is not allowed.',
  WEBHOOK_NOT_FOUND: 'Webhook not found.',
  WEBHOOK_DELIVERY_NOT_FOUND: 'Webhook delivery not found.',
  WEBHOOK_DELIVERY_IN_PROGRESS: 'This delivery is still being attempted.',
  WEBHOOK_DISABLED: 'This webhook is disabled; enable it to send a test.',
  WEBHOOK_DESCRIPTION_TOO_LONG: 'Descriptions cannot be more than 500 characters.',
  WEBHOOK_DESCRIPTION_CONTROLS:
    'Descriptions cannot contain control characters (line breaks, tabs, escape sequences).',
  INVALID_CURSOR: 'Invalid cursor.',
})

export function unknownEventType(name: string): AppError {
  return new AppError('UNKNOWN_EVENT_TYPE', `Unknown event type: ${name}`)
}
