import { useEffect, useState } from 'preact/hooks'
import { api, messageOf, type Account, type Me } from '../api.ts'

/**
 * The current account's name; a chooser when the user belongs to several. Choosing does not
 * switch by itself (arrow keys change a closed select): the Switch button does.
 */
export function AccountSwitcher({ me, onSwitched }: { me: Me; onSwitched: () => void }) {
  const [accounts, setAccounts] = useState<Account[]>([])
  const [chosen, setChosen] = useState(String(me.accountId))
  const [error, setError] = useState('')
  useEffect(() => {
    setChosen(String(me.accountId))
    api<{ accounts: Account[] }>('getAccounts').then(
      (r) => setAccounts(r.accounts),
      () => setAccounts([]),
    )
  }, [me.accountId])

  if (accounts.length < 2) return <span class="account-name">{me.accountName}</span>
  async function submit(event: Event) {
    event.preventDefault()
    setError('')
    try {
      await api('switchAccount', { accountId: Number(chosen) })
      onSwitched()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  return (
    <form class="account-switcher" onSubmit={(e) => void submit(e)}>
      <label for="account-switcher" class="visually-hidden">
        Account
      </label>
      <select id="account-switcher" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
        {accounts.map((a) => (
          <option key={a.accountId} value={String(a.accountId)}>
            {a.name} ({a.role})
          </option>
        ))}
      </select>
      {chosen !== String(me.accountId) && (
        <button type="submit" class="button-secondary button-small">
          Switch
        </button>
      )}
      {error && (
        <span role="alert" class="field-error">
          {error}
        </span>
      )}
    </form>
  )
}
