import { useState } from 'preact/hooks'
import { api, type AuditEvent } from '../api.ts'
import { Notice } from '../components/Notice.tsx'
import { formatDate } from '../format.ts'
import { useLoad } from '../use-load.ts'

const PAGE_SIZE = 25

function describe(event: AuditEvent): string {
  const details = event.details
    ? Object.entries(event.details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    : []
  return details.join(', ')
}

/** Who did what, newest first, a page at a time (the server's keyset pages). */
export function AuditPage() {
  // The `before` cursor of each page seen, so "Newer" can go back.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined])
  const before = cursors[cursors.length - 1]
  const { data: page, error } = useLoad(
    () =>
      api<{ auditLogs: AuditEvent[]; nextBefore: number | null }>('getAuditLogs', {
        limit: PAGE_SIZE,
        ...(before ? { before } : {}),
      }),
    [before],
  )

  return (
    <section class="page" aria-labelledby="audit-title">
      <div class="page-head">
        <h1 id="audit-title">Audit log</h1>
        <p class="muted">Every change to the team, its roles and keys, newest first.</p>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      <table class="table">
        <caption>{`Page ${cursors.length}`}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Target</th>
          </tr>
        </thead>
        <tbody>
          {page === undefined && !error && (
            <tr>
              <td colSpan={4} role="status">
                Loading…
              </td>
            </tr>
          )}
          {page?.auditLogs.length === 0 && (
            <tr>
              <td colSpan={4} class="muted">
                Nothing recorded yet.
              </td>
            </tr>
          )}
          {page?.auditLogs.map((e) => (
            <tr key={e.id}>
              <td data-label="When">{formatDate(e.timestamp)}</td>
              <td data-label="Who">
                {e.actorEmail ?? 'Operator (command line)'}
                {e.actorApiKeyId ? <span class="small muted block">API key #{e.actorApiKeyId}</span> : null}
              </td>
              <td data-label="What">
                <code>{e.action}</code>
                {describe(e) && <span class="small muted block">{describe(e)}</span>}
              </td>
              <td data-label="Target">{e.target ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav class="pager" aria-label="Audit log pages">
        <button
          type="button"
          class="button-secondary"
          disabled={cursors.length === 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          ‹ Newer
        </button>
        <button
          type="button"
          class="button-secondary"
          disabled={!page?.nextBefore}
          onClick={() => page?.nextBefore && setCursors([...cursors, page.nextBefore])}
        >
          Older ›
        </button>
      </nav>
    </section>
  )
}
