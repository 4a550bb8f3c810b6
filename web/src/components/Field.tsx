import type { ComponentChildren } from 'preact'

interface FieldProps {
  id: string
  label: string
  /** The server's message for this field, shown beside it and announced. */
  error?: string | undefined
  hint?: string
  children: ComponentChildren
}

/** A label, a control (given as the child, with the same id) and its error or hint. */
export function Field({ id, label, error, hint, children }: FieldProps) {
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {hint && !error && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

/** aria attributes for a control inside <Field>. */
export function described(id: string, error: string | undefined, hint?: string) {
  return {
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  }
}
