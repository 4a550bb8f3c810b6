import { useEffect, useState } from 'preact/hooks'
import { messageOf } from '../../api.ts'
import { ItemTable } from '../../components/ItemTable.tsx'
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
      <ItemTable
        caption={`Deliveries to ${hook.url}`}
        captionHidden
        items={deliveries}
        keyOf={(d) => d.id}
        empty="No deliveries yet."
        columns={[
          {
            header: 'Event',
            cell: (d) => (
              <>
                {d.type} <code class="muted">{d.eventId}</code>
              </>
            ),
          },
          { header: 'Status', cell: (d) => d.status },
          {
            header: 'Response',
            cell: (d) =>
              `${d.lastStatusCode ?? '—'}${d.lastError && d.status !== 'delivered' ? ` (${d.lastError})` : ''}`,
          },
          { header: 'Attempts', cell: (d) => d.attempts },
          { header: 'Created', cell: (d) => formatDate(d.createdAt) },
        ]}
        actions={(d) =>
          d.status !== 'pending' && (
            <button
              type="button"
              class="button-secondary button-small"
              aria-label={`Redeliver ${d.type} ${d.eventId}`}
              onClick={() => void again(d)}
            >
              Redeliver
            </button>
          )
        }
      />
    </section>
  )
}
