/**
 * Real Roster server processes (`node --import tsx src/server.ts`) on free ports, for black-box
 * tests: several instances on one database, kills and restarts, start-up errors. Any process
 * still running when the test process exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export interface ServerProcess {
  readonly child: ChildProcess
  readonly url: string
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>
  stderr(): string
  /** Resolves once /readyz answers 200; throws if the process exits first. */
  ready(attempts?: number): Promise<void>
  /** POST a JSON body with an API key; resolves to status and parsed body. */
  post(path: string, key: string | undefined, body?: unknown): Promise<{ status: number; body: any }>
  kill(signal?: NodeJS.Signals): void
  /** SIGTERM, then SIGKILL after 10 s; resolves when it has exited. */
  stop(): Promise<void>
}

/** Starts a server and (unless `wait: false`) waits until it is ready. */
export async function startServerProcess(env: Record<string, string>, options: { wait?: boolean } = {}): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0', ...env, PORT: String(env.PORT ?? port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  running.add(child)
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000)
  })
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child)
      resolve(code)
    }),
  )
  const url = `http://127.0.0.1:${port}`
  const server: ServerProcess = {
    child,
    url,
    exited,
    stderr: () => stderr,
    async ready(attempts = 600) {
      for (let i = 0; i < attempts; i++) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited: ${stderr}`)
        try {
          if ((await fetch(`${url}/readyz`)).ok) return
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`server not ready at ${url}: ${stderr}`)
    },
    async post(path, key, body = {}) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
        body: JSON.stringify(body),
      })
      const text = await res.text()
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) }
    },
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(force)
    },
  }
  if (options.wait ?? true) await server.ready()
  return server
}
