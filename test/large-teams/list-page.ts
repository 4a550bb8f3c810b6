/** listTeam as the large-team tests call it: one page, asserted 200 (never a 429 standing in). */
import assert from 'node:assert/strict'
import { json, type TestApp } from '../helpers/app.ts'

export interface Page {
  items: { login: string; name?: string; role: string; [k: string]: unknown }[]
  nextCursor: string | null
  total: number
}

export async function listPage(t: TestApp, key: string, body: Record<string, unknown>): Promise<Page> {
  const res = await t.post('/api/listTeam', key, body)
  assert.equal(res.statusCode, 200, res.body)
  return json<Page>(res)
}
