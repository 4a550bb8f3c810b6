import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { ConfirmDialog } from './ConfirmDialog.tsx'

export interface Column<T> {
  header: string
  cell: (item: T) => ComponentChildren
}

/** The destructive button of each row, and (unless `confirm` is absent) the dialog before it acts. */
export interface RevokeAction<T> {
  /** The button's text, e.g. "Revoke". */
  label: string
  /** Its accessible name, which says what it acts on, e.g. "Revoke the key CI". */
  name: (item: T) => string
  confirm?: { title: (item: T) => string; label: string; body: ComponentChildren }
  run: (item: T) => void
}

interface RevokeTableProps<T> {
  caption: string
  columns: Column<T>[]
  /** Undefined while the first load runs: the body stays empty rather than saying "none". */
  items: T[] | undefined
  keyOf: (item: T) => string | number
  empty: string
  revoke: RevokeAction<T>
  /** Other buttons of a row, shown before the destructive one. */
  actions?: (item: T) => ComponentChildren
}

/**
 * A table of things a person may take back (keys, tokens, applications, passkeys, webhooks): one
 * row each with a destructive button, confirmed in a dialog whose focus is on Cancel.
 */
export function RevokeTable<T>({
  caption,
  columns,
  items,
  keyOf,
  empty,
  revoke,
  actions,
}: RevokeTableProps<T>) {
  const [pending, setPending] = useState<T | undefined>()
  const confirm = revoke.confirm
  function ask(item: T) {
    if (confirm) setPending(item)
    else revoke.run(item)
  }
  return (
    <>
      <table class="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items?.length === 0 && (
            <tr>
              <td colSpan={columns.length + 1} class="muted">
                {empty}
              </td>
            </tr>
          )}
          {items?.map((item) => (
            <tr key={keyOf(item)}>
              {columns.map((c) => (
                <td key={c.header} data-label={c.header}>
                  {c.cell(item)}
                </td>
              ))}
              <td class="row-actions">
                {actions?.(item)}
                <button
                  type="button"
                  class="button-danger-outline button-small"
                  aria-label={revoke.name(item)}
                  onClick={() => ask(item)}
                >
                  {revoke.label}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
