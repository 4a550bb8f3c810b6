import { useState } from 'preact/hooks'
import { messageOf } from '../../api.ts'
import { Notice } from '../../components/Notice.tsx'
import { RevokeTable } from '../../components/RevokeTable.tsx'
import { SecretOnce } from '../../components/SecretOnce.tsx'
import { formatDate } from '../../format.ts'
import { useLoad } from '../../use-load.ts'
import { DeliveryLog } from './DeliveryLog.tsx'
import { NewWebhookForm } from './NewWebhookForm.tsx'
import {
  deleteWebhook,
  fetchWebhooks,
  rotateSecret,
  sendTest,
  setDisabled,
  type Webhook,
} from './webhook-api.ts'

/** A signing secret just made (new endpoint or rotation): shown this once. */
interface Shown {
  url: string
  secret: string
  rotated: boolean
}

/**
 * The account's webhook endpoints (ADMIN): add one (its signing secret shown once), enable or
 * disable, send a test, rotate the secret, delete; and each endpoint's delivery log.
 */
export function WebhooksPage() {
  const list = useLoad(fetchWebhooks, [])
  const [shown, setShown] = useState<Shown | undefined>()
  const [notice, setNotice] = useState('')
  const [selected, setSelected] = useState<number | undefined>()
  // Bumped after an action that queues deliveries, so the open log loads again.
  const [version, setVersion] = useState(0)
  const hooks = list.data?.webhooks
  const open = hooks?.find((h) => h.id === selected)

  /** Runs an action, then says what happened or shows the server's message. */
  async function act(work: () => Promise<string>) {
    setNotice('')
    list.setError('')
    try {
      const message = await work()
      // The table shows the change before the notice says it is done.
      await list.reload()
      setNotice(message)
      setVersion((v) => v + 1)
    } catch (e) {
      list.setError(messageOf(e))
    }
  }
  const toggle = (h: Webhook) =>
    act(async () => {
      await setDisabled(h.id, !h.disabled)
      return h.disabled ? `Enabled ${h.url}.` : `Disabled ${h.url}.`
    })
  const test = (h: Webhook) =>
    act(async () => {
      await sendTest(h.id)
      setSelected(h.id)
      return `Queued a test event for ${h.url}.`
    })
  const rotate = (h: Webhook) =>
    act(async () => {
      const { secret } = await rotateSecret(h.id)
      setShown({ url: h.url, secret, rotated: true })
      return ''
    })
  const remove = (h: Webhook) =>
    act(async () => {
      await deleteWebhook(h.id)
      if (selected === h.id) setSelected(undefined)
      if (shown?.url === h.url) setShown(undefined)
      return `Deleted ${h.url}.`
    })

  return (
    <section class="page" aria-labelledby="webhooks-title">
      <div class="page-head">
        <h1 id="webhooks-title">Webhooks</h1>
        <p class="muted">
          Roster tells your systems about every change to the team (members, invitations, keys, roles) with
          signed HTTP requests, retried until your endpoint answers.
        </p>
      </div>
      <NewWebhookForm
        onCreated={(url, secret) => {
          setShown({ url, secret, rotated: false })
          setNotice('')
          void list.reload()
        }}
      />
      {shown && (
        <SecretOnce
          notice={
            shown.rotated
              ? 'Copy the new signing secret now: it is shown only once. The old one also signs deliveries for 24 hours.'
              : 'Copy the signing secret now: it is shown only once.'
          }
          values={[
            {
              id: 'webhook-secret',
              label: `Signing secret for ${shown.url}`,
              value: shown.secret,
              copyLabel: 'Copy secret',
            },
          ]}
        />
      )}
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <RevokeTable
        caption="Endpoints"
        items={hooks}
        keyOf={(h) => h.id}
        empty="No endpoints yet."
        columns={[
          { header: 'URL', cell: (h) => <code>{h.url}</code> },
          { header: 'Events', cell: (h) => (h.events.length === 0 ? 'All' : h.events.join(', ')) },
          {
            header: 'Status',
            cell: (h) =>
              h.disabled ? `Disabled${h.disabledReason ? ` (${h.disabledReason})` : ''}` : 'Enabled',
          },
          { header: 'Added', cell: (h) => formatDate(h.createdAt) },
        ]}
        actions={(h) => (
          <>
            <button
              type="button"
              class="button-secondary button-small"
              aria-label={`Deliveries to ${h.url}`}
              aria-pressed={selected === h.id}
              onClick={() => setSelected(selected === h.id ? undefined : h.id)}
            >
              Deliveries
            </button>
            <button
              type="button"
              class="button-secondary button-small"
              aria-label={`Send a test event to ${h.url}`}
              disabled={h.disabled}
              onClick={() => void test(h)}
            >
              Send test
            </button>
            <button
              type="button"
              class="button-secondary button-small"
              aria-label={`${h.disabled ? 'Enable' : 'Disable'} ${h.url}`}
              onClick={() => void toggle(h)}
            >
              {h.disabled ? 'Enable' : 'Disable'}
            </button>
            <button
              type="button"
              class="button-secondary button-small"
              aria-label={`Rotate the signing secret of ${h.url}`}
              onClick={() => void rotate(h)}
            >
              Rotate secret
            </button>
          </>
        )}
        revoke={{
          label: 'Delete',
          name: (h) => `Delete the endpoint ${h.url}`,
          confirm: {
            title: (h) => `Delete the endpoint ${h.url}?`,
            label: 'Delete endpoint',
            body: 'Roster stops sending it events, and its delivery log is deleted.',
          },
          run: (h) => void remove(h),
        }}
      />
      {open && <DeliveryLog hook={open} version={version} />}
    </section>
  )
}
