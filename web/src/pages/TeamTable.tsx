import { useEffect, useRef, useState } from 'preact/hooks'
import { messageOf, type Me, type TeamEntry } from '../api.ts'
import { roster, unwrap } from '../client.ts'
import { TeamRow } from './TeamRow.tsx'

const PAGE = 50

interface TableProps {
  kind: 'members' | 'invitations'
  search: string
  /** Changes after every change to the team: the table starts again from its first page. */
  version: number
  me: Me
  roles: string[]
  onChanged: (message: string) => void
  onError: (message: string) => void
}

/** One page at a time from listTeam (server-side search, keyset cursor), with "Load more". */
export function TeamTable({ kind, search, version, me, roles, onChanged, onError }: TableProps) {
  const [entries, setEntries] = useState<TeamEntry[] | undefined>()
  const [cursor, setCursor] = useState<string | null>(null)
  const [total, setTotal] = useState(0)
  const [loading, setLoading] = useState(false)
  const latest = useRef(0)

  async function load(after: string | null) {
    const ticket = ++latest.current
    setLoading(true)
    try {
      const page = await unwrap(
        roster.POST('/api/listTeam', {
          body: { kind, limit: PAGE, ...(search ? { search } : {}), ...(after ? { cursor: after } : {}) },
        }),
      )
      if (ticket !== latest.current) return
      const rows = page.items.map((item): TeamEntry =>
        'id' in item
          ? { id: item.id, login: item.login, name: item.name, role: item.role }
          : {
              id: 0,
              login: item.login,
              name: '-',
              role: `Invitation sent for ${item.role}`,
              isInvitation: true,
              expiresAt: item.expiresAt,
              ...(item.emailStatus ? { emailStatus: item.emailStatus } : {}),
            },
      )
      setEntries((old) => (after ? [...(old ?? []), ...rows] : rows))
      setCursor(page.nextCursor)
      setTotal(page.total)
    } catch (error) {
      if (ticket === latest.current) onError(messageOf(error))
    } finally {
      if (ticket === latest.current) setLoading(false)
    }
  }

  useEffect(() => void load(null), [kind, search, version, me.accountId])

  const invitations = kind === 'invitations'
  const noun = invitations ? 'Pending invitations' : 'Members'
  const shown = entries?.length ?? 0
  const caption = search
    ? `${noun} (${shown}${cursor ? '+' : ''} matching of ${total.toLocaleString()})`
    : `${noun} (${total.toLocaleString()})`
  return (
    <>
      <table class="table" aria-busy={loading}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries === undefined ? (
            <tr>
              <td colSpan={4} class="muted" role="status">
                Loading…
              </td>
            </tr>
          ) : entries.length === 0 ? (
            <tr>
              <td colSpan={4} class="muted">
                {invitations && !search ? 'No pending invitations.' : 'No one matches.'}
              </td>
            </tr>
          ) : (
            entries.map((entry) => (
              <TeamRow
                key={`${kind}${entry.login}`}
                entry={entry}
                me={me}
                roles={roles}
                onChanged={onChanged}
                onError={onError}
              />
            ))
          )}
        </tbody>
      </table>
      {cursor && (
        <p class="load-more">
          <button type="button" disabled={loading} onClick={() => void load(cursor)}>
            {loading ? 'Loading…' : `Load more ${noun.toLowerCase()}`}
          </button>
        </p>
      )}
    </>
  )
}
