import { useState } from 'preact/hooks'
import { api, messageOf, type Me, type TeamEntry } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { CopyButton } from '../components/CopyButton.tsx'
import { formatDate, invitedRole } from '../format.ts'

interface RowProps {
  entry: TeamEntry
  me: Me
  roles: string[]
  onChanged: (message: string) => void
  onError: (message: string) => void
}

/** One member or invitation, with only the actions the user's role may take. */
export function TeamRow({ entry, me, roles, onChanged, onError }: RowProps) {
  const can = (action: string) => me.permissions.includes(action)
  const self = !entry.isInvitation && entry.login === me.email
  const role = entry.isInvitation ? invitedRole(entry.role) : entry.role
  const [newRole, setNewRole] = useState(role)
  const [confirming, setConfirming] = useState(false)
  const [link, setLink] = useState('')
  const id = entry.login.replace(/[^a-z0-9]/gi, '-')
  const who = entry.name && entry.name !== '-' ? entry.name : entry.login

  async function run(work: () => Promise<string>) {
    try {
      onChanged(await work())
    } catch (error) {
      onError(messageOf(error))
    }
  }
  const changeRole = () =>
    run(async () => {
      await api('makeAdmin', { email: entry.login, userRole: newRole })
      return `${who} is now ${newRole}.`
    })
  const remove = () =>
    run(async () => {
      setConfirming(false)
      await api('removeUser', { email: entry.login })
      return entry.isInvitation
        ? `Cancelled the invitation of ${entry.login}.`
        : `Removed ${who} from the team.`
    })
  const reissue = (show: boolean) =>
    run(async () => {
      const r = await api<{ finalInviteCode: string }>('inviteUsers', {
        inviteeEmail: entry.login,
        inviteeRole: role,
      })
      if (show) setLink(r.finalInviteCode)
      return show
        ? `A new link for ${entry.login} is ready to copy; the previous one no longer works.`
        : `Sent a new invitation to ${entry.login}.`
    })

  const canChangeRole = !entry.isInvitation && !self && can('members:changeRole') && roles.includes(role)
  const canRemove = !self && can('members:remove')
  const canReissue = entry.isInvitation && can('invitations:create') && roles.includes(role)

  return (
    <tr>
      <td data-label="Name">
        {entry.name && entry.name !== '-' && <span class="person-name">{entry.name}</span>}
        <span class="person-email">{entry.login}</span>
        {self && <span class="badge">You</span>}
      </td>
      <td data-label="Role">
        {canChangeRole ? (
          <div class="inline-form">
            <label for={`role-${id}`} class="visually-hidden">{`Role of ${who}`}</label>
            <select id={`role-${id}`} value={newRole} onChange={(e) => setNewRole(e.currentTarget.value)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            {newRole !== role && (
              <button type="button" class="button-primary button-small" onClick={() => void changeRole()}>
                Save
              </button>
            )}
          </div>
        ) : (
          <span class="role">{role}</span>
        )}
      </td>
      <td data-label="Status">
        {entry.isInvitation ? (
          <>
            <span class="badge badge-pending">Invited</span>
            <span class="small muted"> expires {formatDate(entry.expiresAt)}</span>
            {entry.emailStatus && <span class="small muted block">Email: {entry.emailStatus}</span>}
          </>
        ) : (
          <span class="badge badge-active">Active</span>
        )}
      </td>
      <td class="row-actions">
        {canReissue && (
          <>
            <button
              type="button"
              class="button-secondary button-small"
              onClick={() => void reissue(false)}
              aria-label={`Resend the invitation to ${entry.login}`}
            >
              Resend
            </button>
            <button
              type="button"
              class="button-secondary button-small"
              onClick={() => void reissue(true)}
              aria-label={`Get a new invitation link for ${entry.login}`}
            >
              Get link
            </button>
          </>
        )}
        {canRemove && (
          <button
            type="button"
            class="button-danger-outline button-small"
            onClick={() => setConfirming(true)}
            aria-label={`${entry.isInvitation ? 'Cancel the invitation of' : 'Remove'} ${who}`}
          >
            {entry.isInvitation ? 'Cancel invite' : 'Remove'}
          </button>
        )}
        {link && (
          <div class="copy-row">
            <label for={`link-${id}`} class="visually-hidden">{`Invitation link for ${entry.login}`}</label>
            <input id={`link-${id}`} readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={link} label="Copy link" />
          </div>
        )}
        {confirming && (
          <ConfirmDialog
            title={entry.isInvitation ? 'Cancel this invitation?' : `Remove ${who}?`}
            confirmLabel={entry.isInvitation ? 'Cancel invitation' : 'Remove'}
            onConfirm={() => void remove()}
            onCancel={() => setConfirming(false)}
          >
            {entry.isInvitation
              ? `The link sent to ${entry.login} will stop working.`
              : `${entry.login} loses access to ${me.accountName} at once; their sessions in it end.`}
          </ConfirmDialog>
        )}
      </td>
    </tr>
  )
}
