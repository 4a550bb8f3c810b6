import { useEffect, useState } from 'preact/hooks'
import { api, type CustomRole, type Me } from '../api.ts'
import { Notice } from '../components/Notice.tsx'
import { grantableRoles } from '../roles.ts'
import { useLoad } from '../use-load.ts'
import { InviteForm } from './InviteForm.tsx'
import { InviteMany } from './InviteMany.tsx'
import { TeamTable } from './TeamTable.tsx'

const SEARCH_DELAY_MS = 250

/**
 * Settings → Users: members and pending invitations, a page at a time from the server (a team
 * of 100,000 opens as fast as one of ten), searched on the server as you type.
 */
export function TeamPage({ me }: { me: Me }) {
  const [typed, setTyped] = useState('')
  const [search, setSearch] = useState('')
  const [version, setVersion] = useState(0)
  const [notice, setNotice] = useState('')
  const loaded = useLoad(() => api<{ roles: CustomRole[] }>('getCustomRoles'), [me.accountId])
  const roles = loaded.data?.roles ?? []
  const { error, setError } = loaded

  // Debounced: one request once typing pauses, not one per key.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [typed])

  const can = (action: string) => me.permissions.includes(action)
  const grantable = grantableRoles(me.roleHierarchy, roles)
  const failed = (message: string) => {
    setNotice('')
    setError(message)
  }
  const done = (message: string) => {
    setError('')
    setVersion((v) => v + 1)
    setNotice(message)
  }
  const tableProps = { search, version, me, roles: grantable, onChanged: done, onError: failed }

  return (
    <section class="page" aria-labelledby="team-title">
      <div class="page-head">
        <h1 id="team-title">Team</h1>
        <p class="muted">{me.accountName}: who is on the team and what each person may do.</p>
      </div>
      {can('invitations:create') && (
        <>
          <InviteForm
            roles={grantable}
            defaultRole={roles.find((r) => r.defaultInviteRole)?.name}
            onInvited={done}
          />
          <InviteMany roles={grantable} onSent={done} />
        </>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <div class="toolbar">
        <label for="team-search">Search</label>
        <input
          id="team-search"
          type="search"
          placeholder="Name or email"
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
      </div>
      <TeamTable kind="members" {...tableProps} />
      <TeamTable kind="invitations" {...tableProps} />
    </section>
  )
}
