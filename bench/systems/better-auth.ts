/**
 * Better Auth, the TypeScript peer: its organization plugin on better-sqlite3 (WAL), or on
 * PostgreSQL (a `pg` Pool, as its docs show) when BENCH_BA_PG_URL names a database, so that each
 * engine is compared with the same engine. Bearer tokens in a
 * header, rate limiting off, limits raised, invitation email a no-op. Seeds through its own API
 * (sign-up, create organization, add member, create invitation), then serves on PORT and tells
 * the parent the token and organization id over IPC.
 */
import { createServer } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { betterAuth } from 'better-auth'
import { getMigrations } from 'better-auth/db/migration'
import { toNodeHandler } from 'better-auth/node'
import { bearer, organization } from 'better-auth/plugins'

const members = Number(process.env.BENCH_MEMBERS ?? 50)
const invitations = Number(process.env.BENCH_INVITATIONS ?? 10)
const port = Number(process.env.PORT)

const pgUrl = process.env.BENCH_BA_PG_URL

function sqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ba-'))
  // The bench stops this process with SIGTERM: leave no database behind in the temp folder.
  process.once('SIGTERM', () => {
    rmSync(dir, { recursive: true, force: true })
    process.exit(0)
  })
  const db = new Database(join(dir, 'auth.db'))
  db.pragma('journal_mode = WAL')
  return db
}

const database = pgUrl ? new pg.Pool({ connectionString: pgUrl }) : sqlite()

const auth = betterAuth({
  database,
  secret: 'bench-secret-bench-secret-bench-secret-0123456789',
  baseURL: `http://127.0.0.1:${port}`,
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { level: 'error' },
  plugins: [
    bearer(),
    organization({
      membershipLimit: 1_000_000,
      invitationLimit: 1_000_000,
      sendInvitationEmail: async () => {},
    }),
  ],
})

async function signUp(i: number) {
  const { headers, response } = await auth.api.signUpEmail({
    body: { email: `user${i}@acme.com`, password: 'bench-password-123', name: `User ${i}` },
    returnHeaders: true,
  })
  return { userId: response.user.id, token: headers.get('set-auth-token') ?? response.token ?? '' }
}

async function seed() {
  const { runMigrations } = await getMigrations(auth.options)
  await runMigrations()
  const owner = await signUp(0)
  const headers = new Headers({ authorization: `Bearer ${owner.token}` })
  const org = await auth.api.createOrganization({ body: { name: 'Acme', slug: 'acme' }, headers })
  if (!org) throw new Error('organization not created')
  for (let i = 1; i < members; i++) {
    const user = await signUp(i)
    await auth.api.addMember({ body: { userId: user.userId, role: 'member', organizationId: org.id } })
  }
  for (let i = 0; i < invitations; i++) {
    await auth.api.createInvitation({
      body: { email: `invitee${i}@acme.com`, role: 'member', organizationId: org.id },
      headers,
    })
  }
  return { token: owner.token, organizationId: org.id }
}

const seeded = await seed()
const handler = toNodeHandler(auth)
createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok')
  void handler(req, res)
}).listen(port, '127.0.0.1', () => process.send?.({ ready: true, ...seeded }))
