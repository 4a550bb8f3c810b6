/**
 * The README and docs/*.md are run, so their examples stay true.
 *
 * Covered: README.md, then every docs/*.md in alphabetical order (DOCUMENTS below), all in that
 * order against ONE fresh Roster: a real server process (`src/server.ts`) on a fresh database
 * (SQLite, or PostgreSQL with ROSTER_TEST_ENGINE=postgres). A docs page may rely on what README
 * created before it (the Acme account, Ada, $KEY). Commands run in a scratch directory, where the
 * SQLite database is the README's default, ./data/roster.db (relative paths such as ./backups/…
 * land there too).
 *
 * The convention, for whoever adds a section:
 * - Only blocks fenced ```sh are read; ```sh sqlite (or ```sh postgres) marks a block that only
 *   applies to that engine (`db backup`): it runs when the Roster under test is on it, and the
 *   other engine's pass reports it as not run. In them, every line is one of:
 *   - `npm run -s roster -- …` (also after `echo … |`, or after `NAME=value` assignments for its
 *     environment): run with bash, as written, against the Roster under test (its DATABASE_URL);
 *   - `curl …`, continued over lines ending in `\`: run as written, `localhost:8080` pointing
 *     at the Roster under test; an answer other than 2xx fails (curl runs with --fail-with-body);
 *   - in either, `postgres://roster@db:5432/roster` names a new, empty PostgreSQL database made
 *     for that command (the target of `db copy`); without TEST_DATABASE_URL such a command is
 *     reported as not run (under CI, that fails);
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
 * Run it alone: `ROSTER_TEST_ENGINE=sqlite node scripts/test.mjs test/docs/readme-commands.test.ts`;
 * with ROSTER_DOCS_PRINT=1 every command's output goes to stderr, to copy into a doc's comment.
 *
 * `npm run -s roster --` runs `tsx src/cli/main.ts`; here it runs an esbuild bundle of that same
 * file (checked below), because tsx compiling the CLI anew for each of ~20 commands takes minutes
 * on a loaded machine.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database.ts'
import {
  DocError,
  EXAMPLE_POSTGRES_URL,
  runSteps,
  stepsOf,
  type RunContext,
} from '../helpers/doc-commands.ts'
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.ts'

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
  const copyTargets: TestDatabase[] = []
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
    // On SQLite the database is where the README's default puts it, ./data/roster.db, in the
    // directory the commands run in (scratch): `db copy --from ./data/roster.db` copies this Roster.
    if (testEngine === 'sqlite') {
      mkdirSync(join(scratch, 'data'))
      const url = join(scratch, 'data', 'roster.db')
      db = { url, open: () => assert.fail('not opened here'), drop: async () => {} }
    } else {
      db = await createTestDatabase()
    }
    // PUBLIC_URL names the port, as the default http://localhost:8080 does for a user: links and
    // the origin a cookie-authenticated curl sends (localhost:8080 → localhost:PORT) agree.
    const port = String(await freePort())
    server = await startServerProcess({
      DATABASE_URL: db.url,
      PORT: port,
      PUBLIC_URL: `http://localhost:${port}`,
    })
    await built
    ctx = {
      url: server.url,
      engine: testEngine,
      cwd: scratch,
      cli,
      env: { DATABASE_URL: db.url, CURL_HOME: scratch },
      vars: {},
      emptyPostgres: process.env.TEST_DATABASE_URL
        ? async () => {
            const target = await createTestDatabase('postgres')
            copyTargets.push(target)
            return target.url
          }
        : undefined,
    }
  })

  after(async () => {
    await server?.stop()
    await db?.drop()
    for (const target of copyTargets) await target.drop()
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
    // The operator's commands shown in the feature sections run too (not in ```text blocks).
    for (const command of ['webhook create', 'oidc-client create', 'db copy'])
      assert.ok(
        runs.some((c) => c.includes(`npm run -s roster -- ${command} `)),
        command,
      )
    const sqliteOnly = steps.flatMap((s) => (s.kind === 'run' && s.engine === 'sqlite' ? [s.command] : []))
    for (const command of ['db backup', 'db restore', 'db copy'])
      assert.ok(
        sqliteOnly.some((c) => c.includes(`npm run -s roster -- ${command} `)),
        command,
      )
    const notRun = steps.filter((s) => s.kind === 'not-run').map((s) => s.command)
    assert.ok(
      notRun.some((c) => c.startsWith('npm install && npm start')),
      notRun.join('\n'),
    )
  })

  for (const file of DOCUMENTS) {
    it(`runs every command of ${file}'s sh blocks in order, each exiting 0 with the output shown`, async (t) => {
      const steps = stepsOf(read(file), file)
      const { skipped } = await runSteps(steps, file, ctx)
      for (const step of skipped) t.diagnostic(`not run on ${testEngine}: ${step}`)
      // Like scripts/test.mjs: under CI, a command left out for want of PostgreSQL is a failure.
      if (process.env.CI)
        assert.deepEqual(
          skipped.filter((s) => s.includes('TEST_DATABASE_URL')),
          [],
        )
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

  it('runs environment assignments before a CLI command as the shell does: without them the same webhook URL is refused', async () => {
    const create =
      'npm run -s roster -- webhook create --account 1 --url http://localhost:3000/control --json'
    const { ran } = await control(
      `\`\`\`sh\nWEBHOOK_ALLOW_HTTP=1 WEBHOOK_ALLOW_PRIVATE=1 ${create}\n# {"id":1,"secret":"whsec_…"}\n\`\`\`\n`,
    )
    assert.equal(ran, 1)
    await assert.rejects(
      control(`\`\`\`sh\nWEBHOOK_ALLOW_HTTP=1 ${create}\n\`\`\`\n`),
      (e: Error) => e instanceof DocError && /exit 1/.test(e.message) && /not allowed/.test(e.message),
    )
  })

  it("runs a block that names an engine only on that engine's Roster", async () => {
    const other = testEngine === 'sqlite' ? 'postgres' : 'sqlite'
    const block = (engine: string) =>
      `\`\`\`sh ${engine}\nnpm run -s roster -- mail list --stauts sent --json\n\`\`\`\n`
    await assert.rejects(
      control(block(testEngine)),
      (e: Error) => e instanceof DocError && /exit 1/.test(e.message),
    )
    const { ran, skipped } = await control(block(other))
    assert.equal(ran, 0)
    assert.match(skipped.join('\n'), new RegExp(`control.md:2 \\(${other} only\\)`))
    assert.throws(() => stepsOf(block('mysql'), 'control.md'), /sqlite or postgres/)
  })

  it(
    `copies into a new, empty PostgreSQL database where a command names ${EXAMPLE_POSTGRES_URL}, and nowhere else`,
    {
      skip:
        testEngine === 'sqlite' && process.env.TEST_DATABASE_URL
          ? false
          : 'the SQLite pass with TEST_DATABASE_URL',
    },
    async () => {
      const copy = (to: string) => `npm run -s roster -- db copy --from ./data/roster.db --to ${to} --json`
      // Twice: a second copy into the same database would be refused (it holds data by then).
      const { ran } = await control(
        `\`\`\`sh\n${copy(EXAMPLE_POSTGRES_URL)}\n${copy(EXAMPLE_POSTGRES_URL)}\n# {"tables":null,"rows":1}\n\`\`\`\n`,
      )
      assert.equal(ran, 2)
      await assert.rejects(
        control(`\`\`\`sh\n${copy('postgres://roster@db:5432/elsewhere')}\n\`\`\`\n`),
        (e: Error) => e instanceof DocError && /exit 1/.test(e.message),
      )
    },
  )

  it('refuses a line of an sh block it cannot run, and reads nothing in a text block', () => {
    assert.throws(() => stepsOf('```sh\ncreatedb -h db.internal roster\n```\n', 'control.md'), DocError)
    assert.deepEqual(stepsOf('```text\ncreatedb -h db.internal roster\n```\n', 'control.md'), [])
  })
})
