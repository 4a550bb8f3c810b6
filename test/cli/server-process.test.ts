import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { createTestDatabase } from '../helpers/database.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, ...env } })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, stderr: () => stderr }
}

async function waitReady(url: string, attempts = 100) {
  for (let i = 0; i < attempts; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`not ready: ${url}`)
}

describe('the server process', () => {
  it('starts on PORT with migrations applied, answers, and exits 0 on SIGTERM', async () => {
    const db = await createTestDatabase()
    const port = await freePort()
    const server = startServer({ DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'warn' })
    try {
      await waitReady(`http://127.0.0.1:${port}/readyz`)
      const res = await fetch(`http://127.0.0.1:${port}/api/getTeamData`, { method: 'POST' })
      assert.equal(res.status, 401)
      server.child.kill('SIGTERM')
      assert.equal(await server.exited, 0)
    } finally {
      server.child.kill('SIGKILL')
      await db.drop()
    }
  })

  const bad: [string, string][] = [['PORT', 'eighty'], ['PUBLIC_URL', 'ftp://x'], ['INVITE_TTL', '-5'], ['ALLOWED_ORIGINS', 'not a url']]
  for (const [variable, value] of bad) {
    it(`refuses to start with a bad ${variable}, naming it`, async () => {
      const server = startServer({ [variable]: value, DATABASE_URL: ':memory:' })
      assert.equal(await server.exited, 1)
      assert.match(server.stderr(), new RegExp(variable))
    })
  }
})
