/**
 * Real Roster server processes (`node --import tsx src/server.ts`) for black-box tests: several
 * instances on one database, kills and restarts, start-up errors. Each listens on a port the OS
 * picks (PORT=0) and the helper reads it from the server's own "listening" log line, so no port is
 * probed, released and rebound. Any process still running when the test process exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * A port the OS considers free right now. Prefer PORT=0 (the default here): a probed port is
 * released before the server binds it, and another program may take it meanwhile. Kept for
 * settings with no way to report the port they bound.
 */
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

/** One line of the server's JSON log (pino). */
export type LogLine = Record<string, any> & { msg?: string }

export interface ServerProcess {
  readonly child: ChildProcess
  /** http://127.0.0.1:PORT, once the server listens (after `ready()`). */
  readonly url: string
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>
  stderr(): string
  /** The last log lines (the listening line and up to ~200 more), for failure messages. */
  log(): string
  /** Resolves with the first log line (from now on or already seen) that matches. */
  waitForLog(match: (line: LogLine) => boolean): Promise<LogLine>
  /** Resolves once the server listens and /readyz answers 200; throws if the process exits first. */
  ready(attempts?: number): Promise<void>
  /** POST a JSON body with an API key; resolves to status and parsed body. */
  post(path: string, key: string | undefined, body?: unknown): Promise<{ status: number; body: any }>
  kill(signal?: NodeJS.Signals): void
  /** SIGTERM, then SIGKILL after 10 s; resolves when it has exited. */
  stop(): Promise<void>
}

/**
 * Starts a server and (unless `wait: false`) waits until it is ready. The per-address /api/*
 * limit is off unless the test sets RATE_LIMIT_MAX: these tests drive load through one address.
 */
export async function startServerProcess(
  env: Record<string, string>,
  /** bundle: run dist/server.mjs as `npm start` does (build it first: scripts/build.mjs), not the sources. */
  options: { wait?: boolean; bundle?: boolean } = {},
): Promise<ServerProcess> {
  const entry = options.bundle ? ['dist/server.mjs'] : ['--import', 'tsx', 'src/server.ts']
  const child = spawn(process.execPath, entry, {
    cwd: root,
    // LOG_LEVEL info: the "Server listening at" line carries the port, request lines let a test
    // wait for a request to be in progress. stdout is read line by line, never kept whole.
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', RATE_LIMIT_MAX: '0', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000)
  })
  const seen: LogLine[] = []
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = []
  let partial = ''
  child.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n')
    partial = lines.pop() ?? ''
    for (const text of lines) {
      let line: LogLine
      try {
        line = JSON.parse(text) as LogLine
      } catch {
        continue
      }
      // Only lines someone may still ask for are kept: the listening line and the last few.
      seen.push(line)
      if (seen.length > 200) seen.splice(1, seen.length - 100)
      for (const w of waiters.slice()) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(line)
        }
      }
    }
  })
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child)
      resolve(code)
    }),
  )
  // 'close' comes after the output is read to its end.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
  function waitForLog(match: (line: LogLine) => boolean): Promise<LogLine> {
    const found = seen.find(match)
    if (found) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      waiters.push({ match, resolve })
      void closed.then(() => reject(new Error(`server exited before the log line: ${stderr}`)))
    })
  }
  let url: string | undefined
  const listening = waitForLog(
    (line) => typeof line.msg === 'string' && /^Server listening at http:\/\/127\.0\.0\.1:\d+/.test(line.msg),
  ).then((line) => (url = /http:\/\/127\.0\.0\.1:\d+/.exec(line.msg!)![0]))
  listening.catch(() => {})
  const base = () => {
    if (!url) throw new Error('the server is not listening yet: await ready() first')
    return url
  }
  const server: ServerProcess = {
    child,
    get url() {
      return base()
    },
    exited,
    stderr: () => stderr,
    log: () => seen.map((line) => JSON.stringify(line)).join('\n'),
    waitForLog,
    async ready(attempts = 600) {
      await listening
      // Listening is not ready: /readyz also checks the database.
      for (let i = 0; i < attempts; i++) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited: ${stderr}`)
        try {
          if ((await fetch(`${base()}/readyz`)).ok) return
        } catch {
          // not answering yet
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`server not ready at ${base()}: ${stderr}`)
    },
    async post(path, key, body = {}) {
      const res = await fetch(`${base()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
        body: JSON.stringify(body),
      }).catch((error: unknown) => {
        // Say why: a server that died shows its exit and its last words.
        const state =
          child.exitCode !== null || child.signalCode !== null
            ? `exited ${child.exitCode ?? child.signalCode}`
            : 'running'
        throw new Error(
          `POST ${path} to ${base()} failed (server ${state}): ${String(error)}\nstderr: ${stderr.slice(-2000)}`,
          { cause: error },
        )
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
