import { useState } from 'preact/hooks'
import { api, messageOf, type CustomRole } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { described, Field } from '../components/Field.tsx'
import { ItemTable } from '../components/ItemTable.tsx'
import { Notice } from '../components/Notice.tsx'
import { formErrors, type FormErrors } from '../form-errors.ts'
import { useLoad } from '../use-load.ts'

const BASE_ROLES = ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST']

/** Custom roles (ADMINs): a name, the built-in role it acts as, and whether invitations default to it. */
export function RolesPage() {
  const [roleName, setRoleName] = useState('')
  const [baseRole, setBaseRole] = useState('DEVELOPER')
  const [defaultInviteRole, setDefault] = useState(false)
  const [errors, setErrors] = useState<FormErrors>({})
  const [notice, setNotice] = useState('')
  const [deleting, setDeleting] = useState<string | undefined>()

  const loaded = useLoad(() => api<{ roles: CustomRole[] }>('getCustomRoles'), [])
  const roles = loaded.data?.roles
  const load = loaded.reload

  async function create(event: Event) {
    event.preventDefault()
    setErrors({})
    setNotice('')
    try {
      await api('createCustomRole', { roleName, baseRole, defaultInviteRole })
      setRoleName('')
      setDefault(false)
      await load()
      setNotice(`Created the role ${roleName.toUpperCase()}.`)
    } catch (error) {
      setErrors(formErrors(error))
    }
  }
  async function remove(name: string) {
    setDeleting(undefined)
    setErrors({})
    setNotice('')
    try {
      await api('deleteCustomRole', { roleName: name })
      await load()
      setNotice(`Deleted the role ${name}.`)
    } catch (error) {
      setErrors({ form: messageOf(error) })
    }
  }

  return (
    <section class="page" aria-labelledby="roles-title">
      <div class="page-head">
        <h1 id="roles-title">Roles</h1>
        <p class="muted">
          Built-in roles: ADMIN › MEMBER › DEVELOPER › GUEST. A custom role acts as its base role under its
          own name.
        </p>
      </div>
      <form class="panel" aria-labelledby="new-role-title" onSubmit={(e) => void create(e)}>
        <h2 id="new-role-title">New custom role</h2>
        <div class="form-row">
          <Field id="role-name" label="Name" error={errors.roleName} hint="Letters, digits, - and _.">
            <input
              id="role-name"
              required
              maxLength={50}
              value={roleName}
              onInput={(e) => setRoleName(e.currentTarget.value)}
              {...described('role-name', errors.roleName, 'Letters, digits, - and _.')}
            />
          </Field>
          <Field id="role-base" label="Acts as" error={errors.baseRole}>
            <select id="role-base" value={baseRole} onChange={(e) => setBaseRole(e.currentTarget.value)}>
              {BASE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </Field>
          <div class="field field-check">
            <input
              id="role-default"
              type="checkbox"
              checked={defaultInviteRole}
              onChange={(e) => setDefault(e.currentTarget.checked)}
            />
            <label for="role-default">Default role for invitations</label>
          </div>
          <button type="submit" class="button-primary form-row-button">
            Create role
          </button>
        </div>
      </form>
      {(errors.form || loaded.error) && <Notice kind="error">{errors.form || loaded.error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <ItemTable
        caption="Custom roles"
        items={roles}
        keyOf={(r) => r.name}
        empty="No custom roles yet."
        columns={[
          { header: 'Name', cell: (r) => <span class="role">{r.name}</span> },
          { header: 'Acts as', cell: (r) => r.baseRole },
          {
            header: 'Invitations',
            cell: (r) => (r.defaultInviteRole ? <span class="badge badge-active">Default</span> : '—'),
          },
        ]}
        actions={(r) => (
          <button
            type="button"
            class="button-danger-outline button-small"
            aria-label={`Delete the role ${r.name}`}
            onClick={() => setDeleting(r.name)}
          >
            Delete
          </button>
        )}
      />
      {deleting && (
        <ConfirmDialog
          title={`Delete the role ${deleting}?`}
          confirmLabel="Delete role"
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        >
          A role that members or pending invitations still use cannot be deleted.
        </ConfirmDialog>
      )}
    </section>
  )
}
