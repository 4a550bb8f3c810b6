import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { Card } from '../components/Card.tsx'
import { described, Field } from '../components/Field.tsx'
import { Notice } from '../components/Notice.tsx'
import { formErrors, type FormErrors } from '../form-errors.ts'

/** First run: the organisation's account and its first ADMIN, who is then signed in. */
export function SetupPage({ onDone }: { onDone: () => void }) {
  const [values, setValues] = useState({ accountName: '', domains: '', name: '', email: '', password: '' })
  const [errors, setErrors] = useState<FormErrors>({})
  const [busy, setBusy] = useState(false)
  const set = (key: keyof typeof values) => (event: Event) =>
    setValues({ ...values, [key]: (event.currentTarget as HTMLInputElement).value })

  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setErrors({})
    try {
      const domains = values.domains.split(/[\s,]+/).filter(Boolean)
      await api('setup', { ...values, domains })
      onDone()
    } catch (error) {
      setErrors(formErrors(error))
      setBusy(false)
    }
  }

  const input = (key: keyof typeof values, label: string, props: Record<string, unknown>, hint?: string) => (
    <Field id={`setup-${key}`} label={label} error={errors[key]} hint={hint}>
      <input
        id={`setup-${key}`}
        required
        value={values[key]}
        onInput={set(key)}
        {...described(`setup-${key}`, errors[key], hint)}
        {...props}
      />
    </Field>
  )

  return (
    <Card title="Set up Roster">
      <p class="lead">
        Create your organisation's account and its first administrator. You can invite the rest of the team
        next.
      </p>
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      <form onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>Organisation</legend>
          {input('accountName', 'Account name', { autocomplete: 'organization', maxLength: 200 })}
          {input(
            'domains',
            'Email domains',
            { placeholder: 'acme.com' },
            'Only people with these email domains can be invited. Separate several with commas.',
          )}
        </fieldset>
        <fieldset>
          <legend>Administrator</legend>
          {input('name', 'Your name', { autocomplete: 'name', maxLength: 200 })}
          {input('email', 'Your email', { type: 'email', autocomplete: 'username' })}
          {input(
            'password',
            'Password',
            { type: 'password', autocomplete: 'new-password', minLength: 8 },
            'At least 8 characters; avoid common passwords.',
          )}
        </fieldset>
        <button type="submit" class="button-primary button-block" disabled={busy}>
          {busy ? 'Creating…' : 'Create account and sign in'}
        </button>
      </form>
    </Card>
  )
}
