/**
 * Runnable documentation: reads the ```sh blocks of a Markdown file into steps (commands to run,
 * outputs they should show, variables to fill) and runs them in order against a Roster. The rules
 * a documentation author follows are in test/docs/readme-commands.test.ts's header.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

export type Engine = 'sqlite' | 'postgres'

export type Step =
  | { kind: 'run'; line: number; command: string; expected: unknown[]; engine?: Engine }
  | { kind: 'assign'; line: number; variable: string; field: string; engine?: Engine }
  | { kind: 'not-run'; line: number; command: string }

export class DocError extends Error {}

const fenceOpen = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)\s*([^`]*)$/
const assignment = /^([A-Za-z_]\w*)=\S*\s+#\s*the\s+(\w+)\b.*\babove\b/
// Optionally after `echo … |`, or after environment assignments (`NAME=value npm run …`).
const rosterCommand = /(^(?:[A-Z_][A-Z0-9_]*=\S+\s+)*|\|\s*)npm run -s roster -- /

/** The steps of every ```sh block of a Markdown text, in order. Throws on a line it cannot run. */
export function stepsOf(markdown: string, file: string): Step[] {
  const lines = markdown.split('\n')
  const steps: Step[] = []
  let fence: { marker: string; info: string; engine?: Engine } | undefined
  let lastRun: Extract<Step, { kind: 'run' }> | undefined
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? ''
    const at = `${file}:${i + 1}`
    if (!fence) {
      const open = fenceOpen.exec(text)
      if (!open) continue
      fence = { marker: open[1] ?? '```', info: open[2] ?? '' }
      // ```sh sqlite: a block that only applies to (and only runs on) a Roster on that engine.
      const rest = (open[3] ?? '').trim()
      if (fence.info === 'sh' && rest !== '') {
        if (rest !== 'sqlite' && rest !== 'postgres')
          throw new DocError(`${at}: an sh block may name an engine (sqlite or postgres), not: ${rest}`)
        fence.engine = rest
      }
      continue
    }
    if (
      text.trim().startsWith(fence.marker[0]!.repeat(fence.marker.length)) &&
      text.trim().replace(/[`~]/g, '') === ''
    ) {
      fence = undefined
      lastRun = undefined
      continue
    }
    if (fence.info !== 'sh') continue
    const line = text.trim()
    if (line === '') {
      lastRun = undefined
    } else if (line.startsWith('#')) {
      const shown = line.replace(/^#\s?/, '')
      // Under a command, a comment that starts like JSON is its output; any other is prose.
      if (lastRun && /^[[{]/.test(shown)) {
        try {
          lastRun.expected.push(JSON.parse(shown))
        } catch {
          throw new DocError(`${at}: the output shown is not JSON: ${shown}`)
        }
      }
    } else if (assignment.test(line)) {
      const [, variable, field] = assignment.exec(line)!
      steps.push({ kind: 'assign', line: i + 1, variable: variable!, field: field!, engine: fence.engine })
      lastRun = undefined
    } else if (line.startsWith('curl ') || rosterCommand.test(line)) {
      let command = text
      const start = i
      while (command.trimEnd().endsWith('\\') && i + 1 < lines.length) command += `\n${lines[++i] ?? ''}`
      lastRun = { kind: 'run', line: start + 1, command, expected: [], engine: fence.engine }
      steps.push(lastRun)
    } else if (/^npm (install|ci|start|test|run [\w:-]+)\b/.test(line)) {
      checkScripts(line, at)
      steps.push({ kind: 'not-run', line: i + 1, command: line })
      lastRun = undefined
    } else {
      throw new DocError(
        `${at}: a line of a \`\`\`sh block that is neither \`npm run -s roster -- …\`, \`curl …\`, ` +
          `\`NAME=… # the FIELD above\`, a comment nor an npm command; fence the block as \`\`\`text if it is not meant to run: ${line}`,
      )
    }
  }
  if (fence) throw new DocError(`${file}: a code block is never closed`)
  return steps
}

/** The npm commands of a not-run line must at least name scripts that exist. */
function checkScripts(line: string, at: string) {
  const scripts = (
    JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }
  ).scripts
  for (const match of line.matchAll(/\bnpm (start|test|run(?: -s)? ([\w:-]+))\b/g)) {
    const name = match[2] ?? match[1]!
    if (!(name in scripts)) throw new DocError(`${at}: package.json has no script "${name}"`)
  }
}

/**
 * A command as it is run: optional parts (`[--name ci]`) are included, and a word of alternatives
 * (`pending|sent|failed`) gives one command per alternative. Only outside quotes.
 */
export function expand(command: string): string[] {
  const words = shellWords(command)
  const alternative = words.find((w) => !w.quoted && /^[^\s|]+(\|[^\s|]+)+$/.test(w.text))
  const unbracketed = (text: string) =>
    words
      .map((w) =>
        w === alternative ? text : w.quoted ? w.text : w.text.replace(/^\[/, '').replace(/\]$/, ''),
      )
      .join('')
  if (!alternative) return [unbracketed('')]
  const brackets = alternative.text.replace(/^\[/, '').replace(/\]$/, '')
  return brackets.split('|').map((choice) => unbracketed(choice))
}

/** Splits a command into runs of whitespace, quoted parts and bare words (joined, they give it back). */
function shellWords(command: string): { text: string; quoted: boolean }[] {
  const words: { text: string; quoted: boolean }[] = []
  let i = 0
  while (i < command.length) {
    const c = command[i]!
    let j = i + 1
    if (c === "'" || c === '"') {
      while (j < command.length && command[j] !== c) j++
      j++
      words.push({ text: command.slice(i, j), quoted: true })
    } else if (/\s/.test(c)) {
      while (j < command.length && /\s/.test(command[j]!)) j++
      words.push({ text: command.slice(i, j), quoted: true })
    } else {
      while (j < command.length && !/[\s'"]/.test(command[j]!)) j++
      words.push({ text: command.slice(i, j), quoted: false })
    }
    i = j
  }
  return words
}

/** The PostgreSQL URL the docs show as the target of a copy; each use gets an empty database. */
export const EXAMPLE_POSTGRES_URL = 'postgres://roster@db:5432/roster'

export interface RunContext {
  /** Origin of the Roster under test, e.g. http://127.0.0.1:40123; replaces localhost:8080. */
  url: string
  /** The engine of the Roster under test: a ```sh sqlite block runs only on SQLite. */
  engine: Engine
  /** The working directory of every command (relative paths such as ./backups land there). */
  cwd: string
  /** The built CLI (`npm run -s roster --` runs it) and the environment every command gets. */
  cli: string
  env: Record<string, string>
  /** Variables filled so far (shared by the documents run on one Roster). */
  vars: Record<string, string>
  /** A new, empty PostgreSQL database's URL, replacing EXAMPLE_POSTGRES_URL; absent without a server. */
  emptyPostgres?: () => Promise<string>
}

interface Output {
  /** The exit code, or the signal that ended the command (a timeout kills it). */
  code: number | string
  stdout: string
  stderr: string
}

// `npm run -s roster -- ARGS` runs the CLI's bundle with ARGS; any other npm command is refused.
const prelude = `set -eo pipefail
npm() {
  if [ "$1" = run ] && [ "$2" = -s ] && [ "$3" = roster ] && [ "$4" = -- ]; then shift 4; "$ROSTER_DOCS_NODE" "$ROSTER_DOCS_CLI" "$@"
  else echo "runnable docs: only 'npm run -s roster -- …' runs here, not: npm $*" >&2; return 127; fi
}
`

async function sh(command: string, ctx: RunContext): Promise<Output> {
  // localhost, as in the docs: the server's default PUBLIC_URL (http://localhost:PORT) is then
  // the origin a cookie-authenticated curl sends.
  const origin = `localhost:${new URL(ctx.url).port}`
  let script = prelude + command.replace(/\blocalhost:8080\b/g, origin)
  if (script.includes(EXAMPLE_POSTGRES_URL))
    script = script.replace(EXAMPLE_POSTGRES_URL, await ctx.emptyPostgres!())
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      {
        cwd: ctx.cwd,
        env: {
          ...process.env,
          ...ctx.env,
          ...ctx.vars,
          ROSTER_DOCS_NODE: process.execPath,
          ROSTER_DOCS_CLI: ctx.cli,
        },
        // Generous: on a loaded machine a CLI run can take tens of seconds; only a hang should fail.
        timeout: 180_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error
            ? typeof error.code === 'number'
              ? error.code
              : `killed by ${error.signal ?? 'a signal'}`
            : 0,
          stdout,
          stderr,
        }),
    )
  })
}

/**
 * Runs the steps in order; throws at the first command that fails or shows another shape. Steps
 * of another engine's block, and (without a PostgreSQL server) commands that copy into
 * EXAMPLE_POSTGRES_URL, are not run: they are returned as `skipped`, for the caller to report.
 */
export async function runSteps(
  steps: Step[],
  file: string,
  ctx: RunContext,
): Promise<{ ran: number; skipped: string[] }> {
  let previous: unknown
  let ran = 0
  const skipped: string[] = []
  for (const step of steps) {
    const at = `${file}:${step.line}`
    if (step.kind === 'not-run') continue
    if (step.engine && step.engine !== ctx.engine) {
      skipped.push(`${at} (${step.engine} only)`)
      continue
    }
    if (step.kind === 'run' && step.command.includes(EXAMPLE_POSTGRES_URL) && !ctx.emptyPostgres) {
      skipped.push(`${at} (needs a PostgreSQL server: TEST_DATABASE_URL)`)
      continue
    }
    if (step.kind === 'assign') {
      const value = findField(previous, step.field)
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new DocError(
          `${at}: ${step.variable} should be the ${step.field} above, but the previous output has none`,
        )
      }
      ctx.vars[step.variable] = String(value)
      continue
    }
    // Alternatives (`--status pending|sent`) run side by side: they are reads of one state.
    const commands = expand(step.command)
    const outputs = await Promise.all(commands.map((command) => sh(command, ctx)))
    for (const [n, out] of outputs.entries()) {
      ran++
      const shown = `${at}: ${commands[n]}\nexit ${out.code}\nstdout: ${out.stdout}\nstderr: ${out.stderr}`
      if (out.code !== 0)
        throw new DocError(`${shown}\n(a documented command must exit 0 and, with curl, answer 2xx)`)
      previous = parseOutput(out.stdout)
      if (process.env.ROSTER_DOCS_PRINT) process.stderr.write(`${at} ${out.stdout.trim()}\n`)
      if (step.expected.length === 0) continue
      const actual = step.expected.length === 1 ? [previous] : out.stdout.trim().split('\n').map(parseOutput)
      if (actual.length !== step.expected.length)
        throw new DocError(`${shown}\n${step.expected.length} JSON outputs shown, ${actual.length} printed`)
      step.expected.forEach((expected, i) => {
        const difference = shapeDifference(expected, actual[i], '$')
        if (difference)
          throw new DocError(`${shown}\nthe output shown under the command has another shape: ${difference}`)
      })
    }
  }
  return { ran, skipped }
}

function parseOutput(stdout: string): unknown {
  try {
    return JSON.parse(stdout)
  } catch {
    return undefined
  }
}

function findField(value: unknown, field: string): unknown {
  if (value === null || typeof value !== 'object') return undefined
  if (!Array.isArray(value) && field in value) return (value as Record<string, unknown>)[field]
  for (const child of Object.values(value)) {
    const found = findField(child, field)
    if (found !== undefined) return found
  }
  return undefined
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/**
 * Where `actual` differs in shape from `expected` (null when it does not): the same object keys
 * and JSON types (null standing for any); every element of an array shaped like one of the
 * elements shown. Values differ freely.
 */
export function shapeDifference(expected: unknown, actual: unknown, path: string): string | null {
  const [te, ta] = [typeOf(expected), typeOf(actual)]
  // null is a value like any other ("lastError": null shown, a message printed).
  if ((te === 'null' && ta !== 'undefined') || (ta === 'null' && te !== 'undefined')) return null
  if (te !== ta) return `${path}: ${te} shown, ${ta === 'undefined' ? 'no JSON' : ta} printed`
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return null
    if (actual.length === 0) return `${path}: a non-empty array shown, [] printed`
    for (const [n, element] of actual.entries()) {
      const differences = expected.map((e) => shapeDifference(e, element, `${path}[${n}]`))
      if (differences.every((d) => d !== null)) return differences[0]!
    }
    return null
  }
  if (te === 'object') {
    const e = expected as Record<string, unknown>
    const a = actual as Record<string, unknown>
    const missing = Object.keys(e).filter((k) => !(k in a))
    const extra = Object.keys(a).filter((k) => !(k in e))
    if (missing.length > 0 || extra.length > 0) {
      return `${path}: keys ${missing.length ? `shown but not printed: ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `printed but not shown: ${extra.join(', ')}` : ''}`
    }
    for (const key of Object.keys(e)) {
      const d = shapeDifference(e[key], a[key], `${path}.${key}`)
      if (d) return d
    }
  }
  return null
}
