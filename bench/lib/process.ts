/**
 * A server under test in its own process: spawned with a free port, watched until healthy, its
 * resident memory read from /proc, stopped by its own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export interface ServerProcess {
  readonly name: string
  readonly port: number
  readonly url: string
  readonly child: ChildProcess
  /** Milliseconds from spawn until /healthz answered 200. */
  readonly startMs: number
  /** The first IPC message the process sent (systems that seed themselves report here). */
  readonly message: Record<string, unknown>
  rssMb(): number
  stop(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Current resident set size of a process in MB (Linux). */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : NaN
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).status === 200
  } catch {
    return false
  }
}

export async function startServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; waitForMessage?: boolean } = {},
): Promise<ServerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)))
  let message: Record<string, unknown> = {}
  const gotMessage = new Promise<void>((resolve) =>
    child.once('message', (m) => resolve(void (message = m as Record<string, unknown>))),
  )
  const deadline = started + (options.timeoutMs ?? 120_000)
  let startMs = NaN
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`)
    if (await healthy(url)) {
      startMs = performance.now() - started
      break
    }
    await sleep(5)
  }
  if (Number.isNaN(startMs)) {
    child.kill('SIGKILL')
    throw new Error(`${name} did not become healthy: ${stderr}`)
  }
  if (options.waitForMessage) await gotMessage
  const pid = child.pid!
  return {
    name,
    port,
    url,
    child,
    startMs,
    get message() {
      return message
    },
    rssMb: () => rssOf(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 5000).unref()
      }),
  }
}
