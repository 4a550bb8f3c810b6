#!/usr/bin/env node
// Mutation testing (StrykerJS) of the security-critical modules, one Stryker run per module,
// each scoped to the few test files that cover it: node:test through Stryker's command runner
// (Stryker builds every mutant into a sandbox copy and runs the command once per mutant, with
// the mutant switched on). Not part of .ci/run: it runs the module's tests once per mutant.
//   npm run test:mutation                 every module
//   npm run test:mutation -- email-rule   the named modules only
// Scores go to reports/mutation/<module>.json and a table at the end; docs/security.md lists the
// last figures and why each surviving mutant is equivalent.
import { mkdirSync, writeFileSync } from 'node:fs'
import { Stryker } from '@stryker-mutator/core'

const test = (...files) => `node --import tsx --test --test-reporter=dot ${files.join(' ')}`

export const MODULES = [
  {
    name: 'invite-token',
    mutate: ['src/invitations/invite-token.ts'],
    command: test('test/unit/invite-token.test.ts'),
  },
  {
    name: 'permissions',
    mutate: ['src/roles/permissions.ts', 'src/roles/role.ts'],
    command: test('test/unit/roles.test.ts', 'test/unit/permissions.test.ts'),
  },
  {
    name: 'role-resolver',
    mutate: ['src/roles/role-resolver.ts'],
    command: test('test/api/custom-roles.test.ts'),
  },
  {
    name: 'email-rule',
    mutate: ['src/invitations/email-rule.ts'],
    command: test('test/unit/email-rule.test.ts'),
  },
  {
    name: 'secrets',
    mutate: ['src/api-keys/api-key.secret.ts', 'src/sessions/session.token.ts'],
    command: test('test/unit/secrets.test.ts'),
  },
  {
    name: 'same-origin',
    mutate: ['src/sessions/same-origin.ts'],
    command: test('test/unit/same-origin.test.ts'),
  },
  // The last-ADMIN guard: the member rule every door shares (team.rules.ts assertKeepsAnAdmin)
  // and the custom-role base change. Through /api an ADMIN cannot act on themselves, so SCIM,
  // which acts for no member, reaches the member rule; its focused tests are in one small file.
  {
    name: 'last-admin',
    // Line ranges: assertAdminsRemain and assertKeepsAnAdmin, and the custom-role check (keep in step).
    mutate: ['src/team/team.rules.ts:25-38', 'src/roles/custom-role.service.ts:107-110'],
    command: test('test/api/last-admin.test.ts'),
  },
  // What Roster tells an application about a person (account_id, account_name, role, base_role).
  {
    name: 'oidc-claims',
    mutate: ['src/oidc/oidc-claims.ts'],
    command: test('test/unit/oidc-claims.test.ts'),
  },
  // Standard Webhooks signatures, checked by the `standardwebhooks` package as a receiver would.
  {
    name: 'webhook-signing',
    mutate: ['src/webhooks/webhook.signature.ts'],
    command: test('test/unit/webhook-signature.test.ts'),
  },
  // SCIM filter text → the checked filter tree the repository turns into SQL.
  {
    name: 'scim-filter',
    mutate: ['src/scim/scim-filter.ts'],
    command: test('test/unit/scim-filter.test.ts'),
  },
]

const only = process.argv.slice(2)
const chosen = only.length > 0 ? MODULES.filter((m) => only.includes(m.name)) : MODULES
if (chosen.length === 0) {
  process.stderr.write(
    `test:mutation: no module named ${only.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}\n`,
  )
  process.exit(1)
}
mkdirSync('reports/mutation', { recursive: true })
const rows = []
for (const module of chosen) {
  const started = Date.now()
  const stryker = new Stryker({
    mutate: module.mutate,
    testRunner: 'command',
    commandRunner: { command: module.command },
    // Each mutant runs the command in the sandbox; ROSTER_TEST_ENGINE keeps it on SQLite.
    concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
    coverageAnalysis: 'off',
    timeoutMS: 60_000,
    reporters: ['clear-text', 'json'],
    jsonReporter: { fileName: `reports/mutation/${module.name}.json` },
    tempDirName: `.stryker-tmp/${module.name}`,
    // The sandboxes live under .stryker-tmp inside the checkout, so Node finds packages by walking
    // up to the checkout's node_modules, whether that is a directory or (in a git worktree) a
    // symlink to another checkout's, which Stryker's own node_modules symlinking skips.
    symlinkNodeModules: false,
    ignorePatterns: ['dist', 'web/dist', 'reports', 'test-output', 'bench', '.stryker-tmp'],
    thresholds: { high: 90, low: 80, break: null },
    logLevel: 'warn',
  })
  const results = await stryker.runMutationTest()
  const count = (status) => results.filter((r) => r.status === status).length
  const killed = count('Killed') + count('Timeout')
  const survived = results.filter((r) => r.status === 'Survived' || r.status === 'NoCoverage')
  const valid = killed + survived.length
  const score = valid === 0 ? 100 : (100 * killed) / valid
  rows.push({
    module: module.name,
    mutants: valid,
    killed,
    timedOut: count('Timeout'),
    survived: survived.length,
    score: score.toFixed(1),
    seconds: Math.round((Date.now() - started) / 1000),
  })
  for (const s of survived) {
    process.stdout.write(
      `  survived ${module.name}: ${s.fileName}:${s.location.start.line} ${s.mutatorName} → ${JSON.stringify(s.replacement)}\n`,
    )
  }
}
writeFileSync('reports/mutation/summary.json', JSON.stringify(rows, null, 2) + '\n')
// "killed" counts timed-out mutants too (a mutant that hangs the tests is caught); "timed out" says how many.
process.stdout.write('\nmodule           mutants  killed  timed out  survived  score  seconds\n')
for (const r of rows) {
  process.stdout.write(
    `${r.module.padEnd(17)}${String(r.mutants).padStart(7)}${String(r.killed).padStart(8)}${String(r.timedOut).padStart(11)}${String(r.survived).padStart(10)}${r.score.padStart(7)}${String(r.seconds).padStart(9)}\n`,
  )
}
process.exit(rows.every((r) => Number(r.score) >= 90) ? 0 : 1)
