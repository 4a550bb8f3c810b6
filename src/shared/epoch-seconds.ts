/** A stored time (epoch milliseconds) as the API and the CLI give it where Akto's clients read seconds. */
export function epochSeconds(ms: number): number
export function epochSeconds(ms: number | null): number | null
export function epochSeconds(ms: number | null): number | null {
  return ms === null ? null : Math.floor(Number(ms) / 1000)
}
