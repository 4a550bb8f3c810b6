import { useState } from 'preact/hooks'
import type { paths } from '../../../../clients/typescript/src/index.ts'
import { api, messageOf } from '../../api.ts'
import { Notice } from '../../components/Notice.tsx'
import { formatDate } from '../../format.ts'
import { useLoad } from '../../use-load.ts'

/** fetchSessions' answer as the generated client types it, so the page follows the server's schema. */
type SessionList = paths['/api/fetchSessions']['post']['responses'][200]['content']['application/json']

/** A short name for a user agent: enough to tell one's devices apart. */
function browserOf(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser'
  const name = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(userAgent)?.[1]
  const os = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(userAgent)?.[1]
  return [name === 'Edg' ? 'Edge' : name, os].filter(Boolean).join(' on ') || userAgent.slice(0, 60)
}

export function SessionsPanel() {
  const list = useLoad(() => api<SessionList>('fetchSessions'), [])
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')

  async function act(work: () => Promise<string>) {
    setError('')
    setNotice('')
    try {
      setNotice(await work())
      await list.reload()
    } catch (e) {
      setError(messageOf(e))
    }
  }

  return (
    <div class="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      {(error || list.error) && <Notice kind="error">{error || list.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <table class="table">
        <caption>Your sessions</caption>
        <thead>
          <tr>
            <th scope="col">Browser</th>
            <th scope="col">Address</th>
            <th scope="col">Account</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last active</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.sessions.map((s) => (
            <tr key={s.id} data-session-id={s.id}>
              <td data-label="Browser">
                {browserOf(s.userAgent)} {s.current && <strong>(this device)</strong>}
              </td>
              <td data-label="Address">{s.ip ?? '—'}</td>
              <td data-label="Account">{s.accountName}</td>
              <td data-label="Signed in">{formatDate(s.createdAt)}</td>
              <td data-label="Last active">{formatDate(s.lastSeenAt)}</td>
              <td class="row-actions">
                {!s.current && (
                  <button
                    type="button"
                    class="button-danger-outline button-small"
                    aria-label={`Sign out the session ${s.id}`}
                    onClick={() =>
                      void act(
                        async () => (await api('revokeSession', { id: s.id }), 'Signed out that session.'),
                      )
                    }
                  >
                    Sign out
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        class="button-secondary"
        onClick={() =>
          void act(async () => {
            const r = await api<{ revoked: number }>('revokeOtherSessions')
            return `Signed out ${r.revoked} other session${r.revoked === 1 ? '' : 's'}.`
          })
        }
      >
        Sign out everywhere else
      </button>
    </div>
  )
}
