import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { ConfirmDialog } from './ConfirmDialog.tsx'
import { ItemTable, type ItemTableProps } from './ItemTable.tsx'

/** The destructive button of each row, and (unless `confirm` is absent) the dialog before it acts. */
export interface RevokeAction<T> {
  /** The button's text, e.g. "Revoke". */
  label: string
  /** Its accessible name, which says what it acts on, e.g. "Revoke the key CI". */
  name: (item: T) => string
  confirm?: { title: (item: T) => string; label: string; body: ComponentChildren }
  run: (item: T) => void
}

/**
 * A table of things a person may take back (keys, tokens, applications, passkeys, webhooks): one
 * row each with a destructive button, confirmed in a dialog whose focus is on Cancel.
 */
export function RevokeTable<T>({
  revoke,
  actions,
  ...table
}: ItemTableProps<T> & { revoke: RevokeAction<T> }) {
  const [pending, setPending] = useState<T | undefined>()
  const confirm = revoke.confirm
  function ask(item: T) {
    if (confirm) setPending(item)
    else revoke.run(item)
  }
  return (
    <>
      <ItemTable
        {...table}
        actions={(item) => (
          <>
            {actions?.(item)}
            <button
              type="button"
              class="button-danger-outline button-small"
              aria-label={revoke.name(item)}
              onClick={() => ask(item)}
            >
              {revoke.label}
            </button>
          </>
        )}
      />
      {pending !== undefined && confirm && (
        <ConfirmDialog
          title={confirm.title(pending)}
          confirmLabel={confirm.label}
          onConfirm={() => {
            setPending(undefined)
            revoke.run(pending)
          }}
          onCancel={() => setPending(undefined)}
        >
          {confirm.body}
        </ConfirmDialog>
      )}
    </>
  )
}
