import { CopyButton } from './CopyButton.tsx'
import { Notice } from './Notice.tsx'

export interface SecretValue {
  /** The id of the read-only input; its label names it for people and for tests. */
  id: string
  label: string
  value: string
  copyLabel: string
}

/**
 * A just-created credential that the server shows this once (API key, SCIM token, client secret,
 * webhook signing secret): a notice saying so, then each value read-only with a copy button.
 */
export function SecretOnce({ notice, values }: { notice: string; values: SecretValue[] }) {
  return (
    <div class="link-box">
      <Notice kind="success">{notice}</Notice>
      {values.map((v) => (
        <div key={v.id}>
          <label for={v.id}>{v.label}</label>
          <div class="copy-row">
            <input
              id={v.id}
              class="mono"
              readOnly
              value={v.value}
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={v.value} label={v.copyLabel} />
          </div>
        </div>
      ))}
    </div>
  )
}
