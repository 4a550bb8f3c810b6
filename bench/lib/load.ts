/**
 * The load: autocannon, 10 connections, a warm-up then a fixed duration, driven from this
 * (separate) process. The server's RSS is sampled while it runs.
 */
import autocannon, { type Request } from 'autocannon'
import type { ServerProcess } from './process.ts'

export interface LoadSpec {
  path: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  /** A fixed body, or a fresh one per request (distinct invitations). */
  body?: string | (() => string)
}

export interface LoadResult {
  rps: number
  p50: number
  p99: number
  requests: number
  non2xx: number
  errors: number
  peakRssMb: number
}

export interface LoadOptions {
  connections: number
  durationS: number
  warmupS: number
}

function run(server: ServerProcess, spec: LoadSpec, connections: number, durationS: number) {
  const body = spec.body
  const request: Request =
    typeof body === 'function'
      ? {
          method: spec.method,
          path: spec.path,
          headers: spec.headers,
          setupRequest: (req) => ({ ...req, body: body() }),
        }
      : {
          method: spec.method,
          path: spec.path,
          headers: spec.headers,
          ...(body === undefined ? {} : { body }),
        }
  return autocannon({ url: server.url, connections, duration: durationS, requests: [request] })
}

export async function load(server: ServerProcess, spec: LoadSpec, options: LoadOptions): Promise<LoadResult> {
  if (options.warmupS > 0) await run(server, spec, options.connections, options.warmupS)
  let peakRssMb = server.rssMb()
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, server.rssMb())), 100)
  try {
    const result = await run(server, spec, options.connections, options.durationS)
    return {
      rps: result.requests.total / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      peakRssMb: Math.max(peakRssMb, server.rssMb()),
    }
  } finally {
    clearInterval(sampler)
  }
}
