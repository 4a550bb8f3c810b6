import { useEffect, useState } from 'preact/hooks'
import { messageOf } from '../../api.ts'
import { Notice } from '../../components/Notice.tsx'
import { formatDate } from '../../format.ts'
import { useLoad } from '../../use-load.ts'
import { fetchDeliveries, redeliver, type Delivery, type Webhook } from './webhook-api.ts'

/** While a delivery is still pending the log looks again this often, so its outcome appears. */
const REFRESH_MS = 1000

/** One endpoint's deliveries, newest first: status, response code, attempts; redeliver. */
export function DeliveryLog({ hook, version }: { hook: Webhook; version: number }) {
  const log = useLoad(() => fetchDeliveries(hook.id), [hook.id, version])
  const [notice, setNotice] = useState('')
  const deliveries = log.data?.deliveries
  const pending = deliveries?.some((d) => d.status === 'pending') ?? false

  useEffect(() => {
    if (!pending) return
    const timer = setTimeout(() => void log.reload(), REFRESH_MS)
    return () => clearTimeout(timer)
  }, [pending, log.data])

  async function again(d: Delivery) {
    setNotice('')
    try {
      await redeliver(d.id)
      setNotice(`Queued ${d.type} again.`)
      await log.reload()
    } catch (e) {
      log.setError(messageOf(e))
    }
  }

  return (
    <section class="panel" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{`Deliveries to ${hook.url}`}</h2>
      {log.error && <Notice kind="error">{log.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <table class="table">
        <caption class="visually-hidden">{`Deliveries to ${hook.url}`}</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Response</th>
            <th scope="col">Attempts</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries?.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">
                No deliveries yet.
              </td>
            </tr>
          )}
          {deliveries?.map((d) => (
            <tr key={d.id}>
              <td data-label="Event">
                {d.type} <code class="muted">{d.eventId}</code>
              </td>
              <td data-label="Status">{d.status}</td>
              <td data-label="Response">
                {d.lastStatusCode ?? '—'}
                {d.lastError && d.status !== 'delivered' ? ` (${d.lastError})` : ''}
              </td>
              <td data-label="Attempts">{d.attempts}</td>
              <td data-label="Created">{formatDate(d.createdAt)}</td>
              <td class="row-actions">
                {d.status !== 'pending' && (
                  <button
                    type="button"
                    class="button-secondary button-small"
                    aria-label={`Redeliver ${d.type} ${d.eventId}`}
                    onClick={() => void again(d)}
                  >
                    Redeliver
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
