/** Real Roster server processes (`node --import tsx src/server.ts`) on free ports, for black-box tests. */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

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
  readonly exited: Promise<number | null>
  stderr(): string
  /** Resolves once /readyz answers 200. */
  ready(attempts?: number): Promise<void>
  kill(signal?: NodeJS.Signals): void
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  return {
    child,
    url,
    exited,
    stderr: () => stderr,
    async ready(attempts = 600) {
      for (let i = 0; i < attempts; i++) {
        if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`)
        try {
          if ((await fetch(`${url}/readyz`)).ok) return
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`server not ready at ${url}: ${stderr}`)
    },
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    },
  }
}
