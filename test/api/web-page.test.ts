import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'

const INDEX = '<!doctype html><title>Roster</title><script type="module" src="/assets/app-1234.js"></script>'

describe('the web page served by Fastify', () => {
  let t: TestApp
  let webDir: string
  const get = (url: string) => t.server.inject({ method: 'GET', url })

  before(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'roster-web-'))
    mkdirSync(join(webDir, 'assets'))
    writeFileSync(join(webDir, 'index.html'), INDEX)
    writeFileSync(join(webDir, 'assets', 'app-1234.js'), 'console.log(1)')
    t = await startTestApp({ env: { WEB_DIR: webDir } })
  })
  after(async () => {
    await t.close()
    rmSync(webDir, { recursive: true, force: true })
  })

  it('answers every page of the app with index.html under the strict policy', async () => {
    for (const url of [
      '/',
      '/team',
      '/roles',
      '/api-keys',
      '/audit',
      '/applications',
      '/webhooks',
      '/login',
      '/setup',
      '/addUserToAccount?signupInvitationCode=x&signupEmailId=a%40b.c',
    ]) {
      const res = await get(url)
      assert.equal(res.statusCode, 200, url)
      assert.equal(res.body, INDEX)
      assert.match(res.headers['content-type'] as string, /^text\/html/)
      assert.match(res.headers['content-security-policy'] as string, /script-src 'self'; style-src 'self'/)
      assert.equal(res.headers['cache-control'], 'no-cache')
    }
  })

  it('serves hashed assets to be cached for good', async () => {
    const res = await get('/assets/app-1234.js')
    assert.equal(res.statusCode, 200)
    assert.equal(res.body, 'console.log(1)')
    assert.match(res.headers['cache-control'] as string, /immutable/)
    assert.equal((await get('/assets/missing.js')).statusCode, 404)
    assert.equal((await get('/assets/../index.html')).statusCode, 404)
  })

  it('leaves the API, the docs, the probes and unknown paths as they were', async () => {
    const api = await get('/api/getTeamData')
    assert.equal(api.statusCode, 405)
    assert.equal(JSON.parse(api.body).code, 'METHOD_NOT_ALLOWED')
    const unknown = await get('/nope')
    assert.equal(unknown.statusCode, 404)
    assert.equal(JSON.parse(unknown.body).code, 'NOT_FOUND')
    assert.equal((await get('/openapi.json')).statusCode, 200)
    assert.equal((await get('/healthz')).statusCode, 200)
    assert.match((await get('/docs/')).body, /swagger/i)
  })

  it('says how to build the page when it is missing', async () => {
    const bare = await startTestApp({ env: { WEB_DIR: join(webDir, 'nothing-here') } })
    try {
      const res = await bare.server.inject({ method: 'GET', url: '/' })
      assert.equal(res.statusCode, 503)
      assert.match(res.body, /npm install/)
    } finally {
      await bare.close()
    }
  })
})

describe('the production build of the web page (made by npm install)', () => {
  it('loads only external scripts and styles, so the strict policy needs no exception', () => {
    const html = readFileSync('web/dist/index.html', 'utf8')
    assert.match(html, /<script type="module" crossorigin src="\/assets\/[\w-]+\.js"><\/script>/)
    assert.match(html, /<link rel="stylesheet" crossorigin href="\/assets\/[\w-]+\.css">/)
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'an inline script')
    assert.doesNotMatch(html, /<style|\sstyle=/, 'an inline style')
    assert.doesNotMatch(html, /https?:\/\//, 'a resource from another origin')
  })
})
