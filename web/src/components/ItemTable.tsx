import type { ComponentChildren } from 'preact'

export interface Column<T> {
  header: string
  cell: (item: T) => ComponentChildren
}

export interface ItemTableProps<T> {
  caption: string
  /** A caption only screen readers need (a heading above already says it). */
  captionHidden?: boolean
  columns: Column<T>[]
  /** Undefined while the first load runs: the body stays empty rather than saying "none". */
  items: T[] | undefined
  keyOf: (item: T) => string | number
  empty: string
  /** The buttons of a row, in its last column. */
  actions?: (item: T) => ComponentChildren
}

/** A captioned table of items, one per row, labelled cells for the phone layout, actions last. */
export function ItemTable<T>({
  caption,
  captionHidden,
  columns,
  items,
  keyOf,
  empty,
  actions,
}: ItemTableProps<T>) {
  return (
    <table class="table">
      <caption class={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
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
            <td class="row-actions">{actions?.(item)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
