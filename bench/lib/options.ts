/**
 * `npm run bench [-- [--quick] [--large] [scenario ...]]`. No scenario named: all of them. The
 * default sizes stop at 10,000 members so a full run takes minutes; --large adds the
 * 100,000-member team (growth, listTeam, teamData) and a 100,000-row import.
 */
export const SCENARIOS = [
  'list',
  'invite',
  'growth',
  'listTeam',
  'teamData',
  'bulk',
  'import',
  'webhooks',
  'startup',
] as const
export type Scenario = (typeof SCENARIOS)[number]

export function benchOptions(argv: readonly string[]) {
  const quick = argv.includes('--quick')
  const large = argv.includes('--large')
  const named = argv.filter((a) => !a.startsWith('--'))
  for (const n of named)
    if (!(SCENARIOS as readonly string[]).includes(n))
      throw new Error(`unknown scenario "${n}"; choose from: ${SCENARIOS.join(' ')}`)
  const selected = new Set<Scenario>(named.length ? (named as Scenario[]) : SCENARIOS)
  return {
    quick,
    large,
    selected,
    has: (s: Scenario) => selected.has(s),
    load: quick
      ? { connections: 10, durationS: 1, warmupS: 0 }
      : { connections: 10, durationS: 5, warmupS: 2 },
    rounds: quick ? 1 : 3,
    sizes: quick ? [100, 1000] : large ? [1000, 10_000, 100_000] : [1000, 10_000],
    importRows: quick ? 1000 : large ? 100_000 : 10_000,
    bulkBatches: quick ? 1 : 10,
    webhookEvents: quick ? 200 : 2000,
    // Its ratio moved by ±0.1 between runs of 3 rounds, as much as the gap to its goal.
    webhookRounds: quick ? 1 : 7,
  }
}
