import assert from 'node:assert/strict'
import type { TestApp } from './app.ts'

/** The value of one series in a scrape (0 when absent), matched on its exact label set. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const have = (match[2] ?? '').split(',').filter(Boolean).sort()
    if (have.length === wanted.length && have.every((l, i) => l === wanted[i])) return Number(match[3])
  }
  return 0
}

/** GET /metrics with the bearer token; the exposition text. */
export async function scrape(t: TestApp, token: string): Promise<string> {
  const res = await t.server.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(res.statusCode, 200)
  return res.body
}
