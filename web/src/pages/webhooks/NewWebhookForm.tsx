import { useState } from 'preact/hooks'
import { described, Field } from '../../components/Field.tsx'
import { messageOf } from '../../api.ts'
import { addWebhook, EVENT_TYPES } from './webhook-api.ts'

/** Adds an endpoint: its URL and, optionally, the event types it wants (none checked: all). */
export function NewWebhookForm({ onCreated }: { onCreated: (url: string, secret: string) => void }) {
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<string[]>([])
  const [error, setError] = useState('')

  async function create(event: Event) {
    event.preventDefault()
    setError('')
    try {
      const created = await addWebhook(url.trim(), events)
      setUrl('')
      setEvents([])
      onCreated(created.url, created.secret)
    } catch (e) {
      setError(messageOf(e))
    }
  }
  const toggle = (type: string, on: boolean) =>
    setEvents((list) => (on ? [...list, type] : list.filter((t) => t !== type)))

  return (
    <form class="panel" aria-labelledby="new-webhook-title" onSubmit={(e) => void create(e)}>
      <h2 id="new-webhook-title">New endpoint</h2>
      <Field
        id="webhook-url"
        label="Endpoint URL"
        error={error || undefined}
        hint="https:// address of your receiver; Roster signs every request (Standard Webhooks)."
      >
        <input
          id="webhook-url"
          type="url"
          required
          maxLength={2048}
          placeholder="https://hooks.example.com/roster"
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
          {...described(
            'webhook-url',
            error || undefined,
            'https:// address of your receiver; Roster signs every request (Standard Webhooks).',
          )}
        />
      </Field>
      <fieldset class="event-types">
        <legend>Event types (none checked: every event)</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={events.includes(type)}
              onChange={(e) => toggle(type, e.currentTarget.checked)}
            />{' '}
            {type}
          </label>
        ))}
      </fieldset>
      <button type="submit" class="button-primary">
        Add endpoint
      </button>
    </form>
  )
}
