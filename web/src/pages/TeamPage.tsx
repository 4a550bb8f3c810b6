import { useState } from 'preact/hooks'
import { api, type CustomRole, type Me, type TeamEntry } from '../api.ts'
import { Notice } from '../components/Notice.tsx'
import { grantableRoles } from '../roles.ts'
import { useLoad } from '../use-load.ts'
import { InviteForm } from './InviteForm.tsx'
import { TeamRow } from './TeamRow.tsx'

/** Settings → Users: members and pending invitations, with the actions the user's role allows. */
export function TeamPage({ me }: { me: Me }) {
  const [search, setSearch] = useState('')
  const [notice, setNotice] = useState('')
  const loaded = useLoad(
    () => Promise.all([api<TeamEntry[]>('getTeamData'), api<{ roles: CustomRole[] }>('getCustomRoles')]),
    [me.accountId],
  )
  const team = loaded.data?.[0]
  const roles = loaded.data?.[1].roles ?? []
  const { error, setError, reload: load } = loaded

  const can = (action: string) => me.permissions.includes(action)
  const grantable = grantableRoles(me.roleHierarchy, roles)
  const needle = search.trim().toLowerCase()
  const shown = (team ?? []).filter(
    (e) => !needle || e.name.toLowerCase().includes(needle) || e.login.toLowerCase().includes(needle),
  )
  const members = shown.filter((e) => !e.isInvitation)
  const invitations = shown.filter((e) => e.isInvitation)
  const failed = (message: string) => {
    setNotice('')
    setError(message)
  }
  const done = (message: string) => {
    setError('')
    // The message appears with the data it describes.
    void load().then(() => setNotice(message))
  }

  return (
    <section class="page" aria-labelledby="team-title">
      <div class="page-head">
        <h1 id="team-title">Team</h1>
        <p class="muted">{me.accountName}: who is on the team and what each person may do.</p>
      </div>
      {can('invitations:create') && (
        <InviteForm
          roles={grantable}
          defaultRole={roles.find((r) => r.defaultInviteRole)?.name}
          onInvited={done}
        />
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <div class="toolbar">
        <label for="team-search">Search</label>
        <input
          id="team-search"
          type="search"
          placeholder="Name or email"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
      </div>
      {team === undefined ? (
        <p role="status">Loading the team…</p>
      ) : (
        <>
          <TeamTable
            caption={`Members (${members.length})`}
            entries={members}
            me={me}
            roles={grantable}
            onChanged={done}
            onError={failed}
          />
          <TeamTable
            caption={`Pending invitations (${invitations.length})`}
            entries={invitations}
            me={me}
            roles={grantable}
            onChanged={done}
            onError={failed}
          />
        </>
      )}
    </section>
  )
}

interface TableProps {
  caption: string
  entries: TeamEntry[]
  me: Me
  roles: string[]
  onChanged: (message: string) => void
  onError: (message: string) => void
}

function TeamTable({ caption, entries, me, roles, onChanged, onError }: TableProps) {
  const invitations = entries.some((e) => e.isInvitation) || caption.startsWith('Pending')
  return (
    <table class="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Role</th>
          <th scope="col">{invitations ? 'Status' : 'Status'}</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.length === 0 ? (
          <tr>
            <td colSpan={4} class="muted">
              {invitations ? 'No pending invitations.' : 'No one matches.'}
            </td>
          </tr>
        ) : (
          entries.map((entry) => (
            <TeamRow
              key={`${entry.isInvitation ? 'i' : 'm'}${entry.login}`}
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
  )
}
