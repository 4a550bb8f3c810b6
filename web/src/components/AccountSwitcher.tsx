import { useEffect, useState } from 'preact/hooks'
import { api, messageOf, type Account, type Me } from '../api.ts'

/** The current account's name; a chooser when the user belongs to several. */
export function AccountSwitcher({ me, onSwitched }: { me: Me; onSwitched: () => void }) {
  const [accounts, setAccounts] = useState<Account[]>([])
  const [error, setError] = useState('')
  useEffect(() => {
    api<{ accounts: Account[] }>('getAccounts').then(
      (r) => setAccounts(r.accounts),
      () => setAccounts([]),
    )
  }, [me.accountId])

  if (accounts.length < 2) return <span class="account-name">{me.accountName}</span>
  async function change(accountId: number) {
    setError('')
    try {
      await api('switchAccount', { accountId })
      onSwitched()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  return (
    <div class="account-switcher">
      <label for="account-switcher" class="visually-hidden">
        Account
      </label>
      <select
        id="account-switcher"
        value={String(me.accountId)}
        onChange={(e) => void change(Number(e.currentTarget.value))}
      >
        {accounts.map((a) => (
          <option key={a.accountId} value={String(a.accountId)}>
            {a.name} ({a.role})
          </option>
        ))}
      </select>
      {error && (
        <span role="alert" class="field-error">
          {error}
        </span>
      )}
    </div>
  )
}
