import type { ComponentChildren } from 'preact'

/** A message: errors interrupt (alert), the rest are announced politely (status). */
export function Notice({
  kind,
  children,
}: {
  kind: 'error' | 'success' | 'info'
  children: ComponentChildren
}) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  )
}
