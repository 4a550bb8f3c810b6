import Papa from 'papaparse'
import { useState } from 'preact/hooks'
import { messageOf } from '../api.ts'
import { roster, unwrap } from '../client.ts'
import { Notice } from '../components/Notice.tsx'

interface Row {
  line: number
  email: string
  name: string
  role: string
  /** Found before sending: the row is not sent. */
  problem?: string | undefined
}

interface Sent {
  line: number
  email: string
  ok: boolean
  why: string
}

/** Rows sent per request (the server takes up to 1000; smaller batches show progress). */
const BATCH = 100
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/** Reads pasted or uploaded CSV (header: email, optional name and role) and finds each row's problems. */
function parseRows(text: string, roles: string[], fallback: string): { rows: Row[]; error: string } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  })
  if (!parsed.meta.fields?.includes('email'))
    return { rows: [], error: 'The first line must be a header with an "email" column.' }
  const seen = new Set<string>()
  const rows = parsed.data.map((record, i): Row => {
    const email = (record.email ?? '').trim().toLowerCase()
    const role = (record.role ?? '').trim().toUpperCase() || fallback
    const row: Row = { line: i + 2, email, name: (record.name ?? '').trim(), role }
    if (!email) row.problem = 'No email'
    else if (!EMAIL.test(email)) row.problem = 'Not an email address'
    else if (seen.has(email)) row.problem = 'Appears earlier in the file'
    else if (!roles.includes(role)) row.problem = `You cannot invite as ${role}`
    seen.add(email)
    return row
  })
  for (const e of parsed.errors) {
    const row = rows[e.row ?? -1]
    if (row && !row.problem) row.problem = e.message
  }
  return { rows, error: '' }
}

/** "Invite many": paste or upload a CSV, check the rows, send them in batches, see each result. */
export function InviteMany({ roles, onSent }: { roles: string[]; onSent: (message: string) => void }) {
  const fallback = roles.includes('DEVELOPER') ? 'DEVELOPER' : (roles[roles.length - 1] ?? '')
  const [text, setText] = useState('')
  const [rows, setRows] = useState<Row[] | undefined>()
  const [error, setError] = useState('')
  const [sent, setSent] = useState<Sent[] | undefined>()
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>()

  const preview = (csv: string) => {
    setText(csv)
    setSent(undefined)
    const result = parseRows(csv, roles, fallback)
    setError(result.error)
    setRows(result.error ? undefined : result.rows)
  }
  const upload = async (input: HTMLInputElement) => {
    const file = input.files?.[0]
    if (file) preview(await file.text())
  }

  async function send() {
    const good = (rows ?? []).filter((r) => !r.problem)
    const results: Sent[] = []
    setProgress({ done: 0, total: good.length })
    try {
      for (let i = 0; i < good.length; i += BATCH) {
        const batch = good.slice(i, i + BATCH)
        const answer = await unwrap(
          roster.POST('/api/inviteUsersBulk', {
            body: {
              invitations: batch.map((r) => ({
                inviteeEmail: r.email,
                inviteeRole: r.role,
                ...(r.name ? { inviteeName: r.name } : {}),
              })),
            },
          }),
        )
        answer.results.forEach((r, j) => {
          results.push({
            line: batch[j]!.line,
            email: r.inviteeEmail,
            ok: r.ok,
            why: r.ok ? 'Sent' : r.message,
          })
        })
        setProgress({ done: results.length, total: good.length })
        setSent([...results])
      }
      const ok = results.filter((r) => r.ok).length
      onSent(`Invited ${ok} of ${good.length}.`)
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setProgress(undefined)
    }
  }

  const good = rows?.filter((r) => !r.problem).length ?? 0
  return (
    <details class="panel invite-many">
      <summary>Invite many</summary>
      <p class="muted small">
        Paste or upload a CSV with a header line: <code>email</code>, and optionally <code>name</code> and{' '}
        <code>role</code>.
      </p>
      <label for="invite-many-csv">CSV</label>
      <textarea id="invite-many-csv" rows={5} value={text} onInput={(e) => preview(e.currentTarget.value)} />
      <label for="invite-many-file">Or upload a file</label>
      <input
        id="invite-many-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => void upload(e.currentTarget)}
      />
      {error && <Notice kind="error">{error}</Notice>}
      {rows && !sent && (
        <table class="table">
          <caption>
            Preview: {good} to send, {rows.length - good} with problems
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                <td>{r.email || '—'}</td>
                <td>{r.role}</td>
                <td>{r.problem ?? 'Ready'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && good > 0 && !sent && (
        <button
          type="button"
          class="button-primary"
          disabled={progress !== undefined}
          onClick={() => void send()}
        >
          Send {good} invitations
        </button>
      )}
      {progress && (
        <p>
          <label for="invite-many-progress">Sending</label>{' '}
          <progress id="invite-many-progress" max={progress.total} value={progress.done}>
            {progress.done} of {progress.total}
          </progress>
        </p>
      )}
      {sent && (
        <table class="table">
          <caption>
            Results: {sent.filter((r) => r.ok).length} sent, {sent.filter((r) => !r.ok).length} not sent
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Email</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {sent.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                <td>{r.email}</td>
                <td>{r.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  )
}
