/**
 * One delivery attempt over HTTP, bounded: it connects to the address that was checked (never
 * resolving the name again), follows no redirect, reads at most 4 KB of the answer, and gives up
 * after the timeout whatever the receiver does. Attempts of one run to one address share a
 * keep-alive connection (`RunConnection`).
 *
 * The client is undici's, driven through its dispatcher API (no stream per answer): per attempt
 * it took half the CPU of node:http's agent and request (~75 vs ~155 µs, measured against a local
 * receiver), and a delivery's CPU, even in its own thread, is taken from the same cores that
 * serve requests (docs/benchmarks.md).
 */
import type { LookupFunction } from 'node:net'
import { Client, type Dispatcher } from 'undici'
import type { Target } from './webhook.address.ts'

export const RESPONSE_LIMIT = 4096

export interface HttpResult {
  readonly statusCode: number | null
  readonly response: string | null
  readonly error: string | null
}

/** The checked address, whatever the resolver would answer now. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ])
    else callback(null, address, family)
  }
}

/** A run's connection: one per origin and checked address, reused while both stay the same. */
export class RunConnection {
  private client: Client | undefined
  private key = ''

  /** The client for this target: a new one when the origin or the checked address changed. */
  for(target: Target): Client {
    const key = `${target.url.origin} ${target.address}`
    if (this.client && this.key === key) return this.client
    this.close()
    this.key = key
    this.client = new Client(target.url.origin, {
      pipelining: 1,
      // The attempt's own timer bounds it (postJson); undici's would only race it.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { lookup: pinnedLookup(target.address, target.family) },
    })
    return this.client
  }

  close() {
    const client = this.client
    this.client = undefined
    void client?.destroy().catch(() => {})
  }
}

const failure = (error: string): HttpResult => ({ statusCode: null, response: null, error })

export function postJson(
  target: Target,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  connection: RunConnection,
): Promise<HttpResult> {
  return new Promise<HttpResult>((resolve) => {
    let done = false
    let controller: Dispatcher.DispatchController | undefined
    let statusCode = 0
    const chunks: Buffer[] = []
    let size = 0
    // The connection is kept (for the run's next attempt) only when the answer was read to its
    // end: otherwise the request is aborted, which closes it.
    const finish = (result: HttpResult, readWhole: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      if (!readWhole) controller?.abort(new Error(result.error ?? 'answer not read'))
      resolve(result)
    }
    const answered = (readWhole: boolean) =>
      finish(
        {
          statusCode,
          response: Buffer.concat(chunks).subarray(0, RESPONSE_LIMIT).toString('utf8'),
          error: statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`,
        },
        readWhole,
      )
    const client = connection.for(target)
    const timer = setTimeout(() => {
      finish(failure(`no answer within ${timeoutMs} ms`), false)
      // Not yet started (still connecting): the connection itself is given up.
      if (!controller) connection.close()
    }, timeoutMs)
    try {
      client.dispatch(
        {
          origin: target.url.origin,
          path: `${target.url.pathname}${target.url.search}`,
          method: 'POST',
          headers,
          body,
        },
        {
          onRequestStart(c) {
            controller = c
            if (done) c.abort(new Error('attempt over'))
          },
          onResponseStart(_c, status) {
            statusCode = status
          },
          onResponseData(_c, chunk) {
            chunks.push(chunk)
            size += chunk.length
            // Enough for the log: the rest is never read.
            if (size >= RESPONSE_LIMIT) answered(false)
          },
          onResponseEnd() {
            answered(true)
          },
          onResponseError(_c, error: NodeJS.ErrnoException) {
            finish(failure(error.code ?? error.message), false)
          },
        },
      )
    } catch (error) {
      // Arguments undici refuses before sending anything.
      finish(failure((error as Error).message), false)
    }
  })
}
