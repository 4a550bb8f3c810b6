/**
 * One delivery attempt over HTTP, bounded: it connects to the address that was checked (never
 * resolving the name again), follows no redirect, reads at most 4 KB of the answer, and gives up
 * after the timeout whatever the receiver does.
 */
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { Target } from './webhook.address.ts'

export const RESPONSE_LIMIT = 4096

export interface HttpResult {
  readonly statusCode: number | null
  readonly response: string | null
  readonly error: string | null
}

export function postJson(
  target: Target,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpResult> {
  const { url, address, family } = target
  // The checked address, whatever the resolver would answer now.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ])
    else callback(null, address, family)
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise<HttpResult>((resolve) => {
    let done = false
    const finish = (result: HttpResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      request.destroy()
      resolve(result)
    }
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent: false,
    })
    const timer = setTimeout(
      () => finish({ statusCode: null, response: null, error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    )
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ statusCode: null, response: null, error: error.code ?? error.message }),
    )
    request.on('response', (response) => {
      const chunks: Buffer[] = []
      let size = 0
      const end = () => {
        const statusCode = response.statusCode ?? null
        const text = Buffer.concat(chunks).subarray(0, RESPONSE_LIMIT).toString('utf8')
        finish({
          statusCode,
          response: text,
          error: statusCode !== null && statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`,
        })
      }
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        size += chunk.length
        // Enough for the log: the rest is never read.
        if (size >= RESPONSE_LIMIT) end()
      })
      response.on('end', end)
      response.on('error', end)
    })
    request.end(body)
  })
}
