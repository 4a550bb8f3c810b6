/**
 * Slows credential guessing: an address that presents too many bad credentials within a window
 * is answered 429 for further bad ones instead of 401. A valid credential is still accepted from
 * that address, so a flood of guesses never locks the real key holder out. Counts are per
 * process (a guess costs one indexed read, never a write).
 */
export interface FailureLimiter {
  /** Records a failure; returns the seconds to wait when the address is over its limit. */
  fail(address: string): number | undefined
}

export function createFailureLimiter(options: {
  limit: number
  windowSeconds: number
  clock: () => number
  maxTracked?: number
}): FailureLimiter {
  const windowMs = options.windowSeconds * 1000
  const maxTracked = options.maxTracked ?? 10_000
  const windows = new Map<string, { start: number; count: number }>()
  return {
    fail(address) {
      const now = options.clock()
      let entry = windows.get(address)
      if (!entry || now - entry.start >= windowMs) {
        // Bounded memory: forget the oldest address when too many are tracked.
        if (!entry && windows.size >= maxTracked) windows.delete(windows.keys().next().value as string)
        entry = { start: now, count: 0 }
        windows.set(address, entry)
      }
      entry.count++
      return entry.count > options.limit
        ? Math.max(1, Math.ceil((entry.start + windowMs - now) / 1000))
        : undefined
    },
  }
}
