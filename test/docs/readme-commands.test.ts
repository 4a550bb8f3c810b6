/**
 * The README and docs/*.md are run, so their examples stay true.
 *
 * Covered: README.md, then every docs/*.md in alphabetical order (DOCUMENTS below), all in that
 * order against ONE fresh Roster: a real server process (`src/server.ts`) on a fresh database
 * (SQLite, or PostgreSQL with ROSTER_TEST_ENGINE=postgres). A docs page may rely on what README
 * created before it (the Acme account, Ada, $KEY).
 *
 * The convention, for whoever adds a section:
 * - Only blocks fenced exactly ```sh are read. In them, every line is one of:
 *   - `npm run -s roster -- …` (also after `echo … |`): run with bash from the repository root,
 *     as written, against the Roster under test (its DATABASE_URL);
 *   - `curl …`, continued over lines ending in `\`: run as written, `localhost:8080` pointing
 *     at the Roster under test; an answer other than 2xx fails (curl runs with --fail-with-body);
 *   - `NAME=…   # the FIELD above`: sets $NAME to FIELD of the previous command's JSON output
 *     (searched at any depth), for the commands after it (`-H "X-API-KEY: $KEY"`);
 *   - a `# …` comment. Comments right under a command that start with `{` or `[` are its output:
 *     the printed JSON must have the same shape (same keys, same JSON types with null standing
 *     for any, arrays of elements shaped like those shown); values may differ (`"rst_…"`, ids).
 *     Other comments are prose;
 *   - `npm install`, `npm ci`, `npm start`, `npm test`, `npm run <script>`: NOT run (they build,
 *     serve or test the whole project); only the scripts' existence in package.json is checked.
 *   Anything else in a ```sh block fails this test.
 * - A command must exit 0. Synopsis notation runs too: an optional part `[--name ci]` is included,
 *   and alternatives `pending|sent|failed` run the command once per alternative, side by side
 *   (so use alternatives only in commands that read).
 * - Commands run in document order and change the Roster (ids follow: Acme is account 1).
 * - A block that must not run (values to paste elsewhere, another host's PostgreSQL, docker,
 *   an environment file) is fenced ```text. Use ```text, not ```sh, for such examples.
 *
 * Run it alone: `ROSTER_TEST_ENGINE=sqlite node scripts/test.mjs test/docs/readme-commands.test.ts`.
 *
 * `npm run -s roster --` runs `tsx src/cli/main.ts`; here it runs an esbuild bundle of that same
 * file (checked below), because tsx compiling the CLI anew for each of ~20 commands takes minutes
 * on a loaded machine.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts'
import { DocError, runSteps, stepsOf, type RunContext } from '../helpers/doc-commands.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
]
const read = (file: string) => readFileSync(join(root, file), 'utf8')

describe('the commands in README.md and docs/*.md', () => {
  let db: TestDatabase
  let server: ServerProcess
  let scratch: string
  // The CLI's bundle sits in the repository so that its external packages resolve from node_modules.
  const cli = join(root, 'test-output', `docs-cli-${process.pid}.mjs`)
  let ctx: RunContext

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'roster-docs-'))
    const built = build({
      entryPoints: [join(root, 'src/cli/main.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['better-sqlite3', 'pg-native', '@fastify/swagger-ui', 'pino'],
      banner: {
        js: "import { createRequire as __docs_require } from 'node:module'; const require = __docs_require(import.meta.url);",
      },
      logLevel: 'warning',
    })
    // curl reads $CURL_HOME/.curlrc: an error status fails the command, with the body printed.
    writeFileSync(join(scratch, '.curlrc'), 'fail-with-body\nshow-error\nmax-time = 30\n')
    db = await createTestDatabase()
    server = await startServerProcess({ DATABASE_URL: db.url })
    await built
    ctx = { url: server.url, cli, env: { DATABASE_URL: db.url, CURL_HOME: scratch }, vars: {} }
  })

  after(async () => {
    await server?.stop()
    await db?.drop()
    rmSync(cli, { force: true })
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  })

  it('maps `npm run -s roster --` to the CLI entry point it runs', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts
    assert.equal(scripts.roster, 'tsx src/cli/main.ts')
  })

  it("reads README's setup, CLI and curl examples as steps", () => {
    const steps = stepsOf(read('README.md'), 'README.md')
    const runs = steps.filter((s) => s.kind === 'run').map((s) => s.command)
    assert.ok(runs.filter((c) => c.includes('npm run -s roster -- ')).length >= 8, runs.join('\n'))
    assert.ok(runs.filter((c) => c.startsWith('curl ')).length >= 4, runs.join('\n'))
    assert.ok(
      runs.some((c) => /^echo .* \| npm run -s roster -- /.test(c)),
      'a command reading stdin',
    )
    const notRun = steps.filter((s) => s.kind === 'not-run').map((s) => s.command)
    assert.ok(
      notRun.some((c) => c.startsWith('npm install && npm start')),
      notRun.join('\n'),
    )
  })

  for (const file of DOCUMENTS) {
    it(`runs every command of ${file}'s sh blocks in order, each exiting 0 with the output shown`, async () => {
      const steps = stepsOf(read(file), file)
      await runSteps(steps, file, ctx)
    })
  }

  // Controls: each differs from a command that passes above by one thing, and must fail.
  const control = (markdown: string) => runSteps(stepsOf(markdown, 'control.md'), 'control.md', ctx)

  it('passes the valid control', async () => {
    const { ran } = await control(
      '```sh\nnpm run -s roster -- mail list --status sent --json\n# {"messages":[]}\ncurl -s localhost:8080/healthz\n# {"status":"ok"}\n```\n',
    )
    assert.equal(ran, 2)
  })

  it('fails when a documented CLI command fails: a misspelt flag', async () => {
    await assert.rejects(
      control('```sh\nnpm run -s roster -- mail list --stauts sent --json\n```\n'),
      (e: Error) => e instanceof DocError && /exit 1/.test(e.message),
    )
  })

  it('fails when a documented curl gets an error status', async () => {
    await assert.rejects(
      control('```sh\ncurl -s -X POST localhost:8080/api/getTeamData -H "X-API-KEY: rst_wrong"\n```\n'),
      (e: Error) => e instanceof DocError && /401/.test(e.message),
    )
  })

  it('fails when the output shown has another key', async () => {
    await assert.rejects(
      control('```sh\ncurl -s localhost:8080/healthz\n# {"state":"ok"}\n```\n'),
      (e: Error) => e instanceof DocError && /shown but not printed: state/.test(e.message),
    )
  })

  it('fails when a variable names a field the previous output lacks', async () => {
    await assert.rejects(
      control('```sh\ncurl -s localhost:8080/healthz\nKEY=rst_…   # the apiKey above\n```\n'),
      (e: Error) => e instanceof DocError && /apiKey/.test(e.message),
    )
  })

  it('refuses a line of an sh block it cannot run, and reads nothing in a text block', () => {
    assert.throws(() => stepsOf('```sh\ncreatedb -h db.internal roster\n```\n', 'control.md'), DocError)
    assert.deepEqual(stepsOf('```text\ncreatedb -h db.internal roster\n```\n', 'control.md'), [])
  })
})
