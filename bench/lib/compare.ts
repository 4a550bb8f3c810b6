/**
 * Interleaved A/B rounds: every round loads each system once, in alternating order, so drift on
 * a shared machine falls on all systems alike; ratios are taken within a round, then the median.
 */
import { load, type LoadOptions, type LoadResult, type LoadSpec } from './load.ts'
import type { ServerProcess } from './process.ts'

export interface Contender {
  readonly name: string
  readonly server: ServerProcess
  readonly spec: LoadSpec
}

export type Rounds = Record<string, LoadResult[]>

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export async function interleave(
  contenders: readonly Contender[],
  rounds: number,
  options: LoadOptions,
): Promise<Rounds> {
  const results: Rounds = Object.fromEntries(contenders.map((c) => [c.name, []]))
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse()
    for (const c of order) {
      const result = await load(c.server, c.spec, options)
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`${c.name}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`)
      }
      results[c.name]!.push(result)
      process.stderr.write(`  ${c.name}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms\n`)
    }
  }
  return results
}

/** Median over rounds of a/b throughput, each ratio from the same round. */
export function ratio(results: Rounds, a: string, b: string): number {
  const ra = results[a] ?? []
  const rb = results[b] ?? []
  // A system that answered nothing in a round gives no ratio (quick mode's 1 s loads can do that).
  const value = median(ra.map((r, i) => r.rps / (rb[i]?.rps ?? NaN)))
  return Number.isFinite(value) ? value : NaN
}

export interface Summary {
  rps: number
  p50: number
  p99: number
  peakRssMb: number
  rounds: number[]
}

export function summarise(results: Rounds): Record<string, Summary> {
  return Object.fromEntries(
    Object.entries(results).map(([name, rs]) => [
      name,
      {
        rps: Math.round(median(rs.map((r) => r.rps))),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        peakRssMb: Math.round(Math.max(...rs.map((r) => r.peakRssMb))),
        rounds: rs.map((r) => Math.round(r.rps)),
      },
    ]),
  )
}
