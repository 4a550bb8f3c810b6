/**
 * The Dockerfile and compose.yaml cannot rot silently: they are parsed and checked against the
 * code they package (the bundle's path, the health route, the variables config.ts reads, the
 * stages they copy from). Where a container engine answers, the image is built and the compose
 * file validated by the engine itself.
 */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, relative, resolve, sep } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { loadConfig } from '../../src/config.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => readFileSync(`${root}/${path}`, 'utf8')

interface Instruction {
  op: string
  args: string
}
interface Stage {
  base: string
  name: string | undefined
  instructions: Instruction[]
}

/** Dockerfile → stages of instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
  const stages: Stage[] = []
  for (const line of logical) {
    const [, op = '', args = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? []
    if (op.toUpperCase() === 'FROM') {
      const [base = '', as, name] = args.split(/\s+/)
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] })
    } else {
      assert.ok(stages.length > 0, `${op} before FROM`)
      stages.at(-1)!.instructions.push({ op: op.toUpperCase(), args })
    }
  }
  return stages
}

const all = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op)
const last = (stage: Stage, op: string) => all(stage, op).at(-1)

describe('Dockerfile', () => {
  const stages = parseDockerfile(read('Dockerfile'))
  const final = stages.at(-1)!
  let t: TestApp
  before(async () => {
    t = await startTestApp()
  })
  after(() => t.close())

  it('builds every stage from node:20-bookworm-slim', () => {
    assert.ok(stages.length >= 2, 'multi-stage')
    for (const stage of stages) assert.equal(stage.base, 'node:20-bookworm-slim')
  })

  it('runs the server bundle that scripts/build.mjs writes, as `npm start` does, as a non-root user', () => {
    // The server's entry point, bundled into the output folder under its key, with the set extension.
    const build = read('scripts/build.mjs')
    const outdir = /outdir:\s*'([^']+)'/.exec(build)?.[1]
    const extension = /'\.js':\s*'([^']+)'/.exec(build)?.[1]
    assert.ok(
      outdir && extension && /\bserver:\s*'src\/server\.ts'/.test(build),
      'scripts/build.mjs bundles src/server.ts',
    )
    const outfile = `${outdir}/server${extension}`
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start.split(
      ' ',
    )
    assert.equal(start.at(-1), outfile)
    assert.deepEqual(JSON.parse(last(final, 'ENTRYPOINT')!.args), start)
    const user = last(final, 'USER')?.args
    assert.ok(user && user !== 'root' && user !== '0', `USER ${user}`)
    const userAt = final.instructions.findIndex((i) => i.op === 'USER')
    const entryAt = final.instructions.findIndex((i) => i.op === 'ENTRYPOINT')
    assert.ok(userAt < entryAt)
  })

  it('checks health on a route the app answers 200', async () => {
    const check = last(final, 'HEALTHCHECK')!.args
    const path = /\/healthz\b/.exec(check)?.[0]
    assert.equal(path, '/healthz')
    assert.equal((await t.server.inject({ method: 'GET', url: path })).statusCode, 200)
  })

  it('keeps the database in the /data volume and installs production dependencies only', () => {
    assert.match(last(final, 'VOLUME')!.args, /"\/data"/)
    assert.match(
      all(final, 'ENV')
        .map((i) => i.args)
        .join(' '),
      /DATABASE_URL=\/data\//,
    )
    const nodeModules = all(final, 'COPY').find((c) => c.args.includes('/app/node_modules'))!
    const from = /--from=(\S+)/.exec(nodeModules.args)![1]
    const deps = stages.find((s) => s.name === from)!
    const installs = all(deps, 'RUN')
      .map((r) => r.args)
      .join(' ')
    assert.match(installs, /npm ci --omit=dev/)
    // Install scripts are skipped, so every native package package.json allows must be rebuilt.
    const allowed = Object.keys(
      (JSON.parse(read('package.json')) as { allowScripts: Record<string, boolean> }).allowScripts,
    )
    for (const name of allowed.filter((n) => n === 'better-sqlite3'))
      assert.match(installs, new RegExp(`npm rebuild[^&]*${name}`))
  })

  it('copies into the build stage every directory the server and the page import from', () => {
    const build = stages.find((s) => s.name === 'build')!
    const copied = all(build, 'COPY').flatMap((c) =>
      c.args
        .split(/\s+/)
        .filter((w) => !w.startsWith('--'))
        .slice(0, -1),
    )
    // Relative imports in the sources, resolved to the top-level directory they land in.
    const needed = new Set<string>()
    for (const dir of ['src', 'web/src'])
      for (const file of readdirSync(`${root}/${dir}`, { recursive: true, encoding: 'utf8' })) {
        if (!/\.tsx?$/.test(file)) continue
        const path = `${root}/${dir}/${file}`
        for (const [, spec] of readFileSync(path, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g))
          needed.add(relative(root, resolve(dirname(path), spec!)).split(sep)[0]!)
      }
    for (const top of needed) assert.ok(copied.includes(top), `the build stage does not COPY ${top}`)
  })

  it('copies only from earlier stages and from files that exist and are not ignored', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
    stages.forEach((stage, index) => {
      for (const copy of all(stage, 'COPY')) {
        const words = copy.args.split(/\s+/)
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length)
        if (from) {
          assert.ok(
            stages.slice(0, index).some((s) => s.name === from),
            `COPY --from=${from}`,
          )
          continue
        }
        for (const source of words.filter((w) => !w.startsWith('--')).slice(0, -1)) {
          assert.ok(existsSync(`${root}/${source}`), `COPY ${source}: no such file`)
          assert.ok(!ignored.includes(source), `COPY ${source} is excluded by .dockerignore`)
        }
      }
    })
  })
})

describe('compose.yaml', () => {
  type Service = {
    build?: string
    image?: string
    environment?: Record<string, string>
    ports?: string[]
    depends_on?: Record<string, unknown>
  }
  const compose = parseYaml(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> }
  const services = compose.services
  const rosters = Object.entries(services).filter(([, s]) => s.build === '.')

  it('runs two Roster instances from this Dockerfile on distinct host ports', () => {
    assert.equal(rosters.length, 2)
    const hostPorts = rosters.map(([, s]) => s.ports?.[0]?.split(':')[0])
    assert.equal(new Set(hostPorts).size, 2)
  })

  it('points both at the same PostgreSQL, Redis and mail catcher, defined in the file with matching credentials', () => {
    const envs = rosters.map(([, s]) => s.environment!)
    assert.deepEqual(envs[0], envs[1])
    const env = envs[0]!
    const database = new URL(env.DATABASE_URL!)
    const postgres = services[database.hostname]!
    assert.match(postgres.image!, /^postgres:/)
    assert.equal(postgres.environment!.POSTGRES_USER, database.username)
    assert.equal(postgres.environment!.POSTGRES_PASSWORD, database.password)
    assert.equal(postgres.environment!.POSTGRES_DB, database.pathname.slice(1))
    assert.match(services[new URL(env.REDIS_URL!).hostname]!.image!, /^redis:/)
    assert.ok(services[new URL(env.SMTP_URL!).hostname], 'the mail catcher is a service of the file')
    for (const [name, s] of rosters) {
      for (const dependency of Object.keys(s.depends_on ?? {}))
        assert.ok(services[dependency], `${name} depends on ${dependency}`)
    }
  })

  it("sets only variables Roster reads, with values Roster's own configuration accepts", () => {
    const env = rosters[0]![1].environment!
    const configSource = read('src/config.ts')
    for (const name of Object.keys(env))
      assert.match(configSource, new RegExp(`\\b${name}\\b`), `${name} is not read by src/config.ts`)
    const config = loadConfig({ ...env, PORT: '8080' })
    assert.equal(config.databaseUrl, env.DATABASE_URL)
    assert.equal(config.smtpUrl, env.SMTP_URL)
  })
})

const engine = spawnSync('docker', ['info'], { timeout: 20_000 }).status === 0
describe(
  'with a container engine',
  { skip: engine ? false : 'no container engine answers `docker info` on this machine' },
  () => {
    it('validates compose.yaml and builds the image', () => {
      execFileSync('docker', ['compose', '-f', 'compose.yaml', 'config', '--quiet'], {
        cwd: root,
        stdio: 'inherit',
      })
      execFileSync('docker', ['build', '-t', 'roster:test', '.'], {
        cwd: root,
        stdio: 'inherit',
        timeout: 20 * 60_000,
      })
    })
  },
)
