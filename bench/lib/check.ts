/** Each system must answer correctly before it is timed (and that is all quick mode asserts). */
import type { LoadSpec } from './load.ts'
import type { ServerProcess } from './process.ts'

export async function call(server: ServerProcess, spec: LoadSpec): Promise<{ status: number; text: string }> {
  const body = typeof spec.body === 'function' ? spec.body() : spec.body
  const response = await fetch(server.url + spec.path, { method: spec.method, headers: spec.headers, body })
  return { status: response.status, text: await response.text() }
}

export async function expectAnswer(
  server: ServerProcess,
  spec: LoadSpec,
  valid: (json: unknown, text: string) => boolean,
  what: string,
): Promise<string> {
  const { status, text } = await call(server, spec)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  if (status !== 200 || !valid(json, text))
    throw new Error(`${server.name} did not answer ${what} correctly: ${status} ${text.slice(0, 300)}`)
  return text
}

/** Median milliseconds of `n` requests sent one after the other (for answers too slow to load with autocannon). */
export async function sequentialMs(server: ServerProcess, spec: LoadSpec, n: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const started = performance.now()
    const { status } = await call(server, spec)
    if (status !== 200) throw new Error(`${server.name}: ${status} for ${spec.path}`)
    times.push(Math.round((performance.now() - started) * 10) / 10)
  }
  return times
}
