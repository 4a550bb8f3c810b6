/**
 * getTeamData's answer per account, kept in this process while the account's team_version is
 * unchanged. Every change to what the list shows is made in an account transaction, and every
 * such transaction raises the version (db/transaction.ts), so a listing tagged with the version
 * read *before* it was built is exact for as long as the database still holds that version, on
 * every instance. Pending invitations also leave the list when they expire: an entry is only
 * good until the first of them does.
 */
export interface TeamListEntry {
  readonly version: number
  readonly body: Buffer
  /** Epoch ms after which the entry must be rebuilt (the first invitation expiry). */
  readonly validUntil: number
}

/**
 * Large teams are held too: a 100,000-member listing (~7 MB) costs the database far more to
 * build than the process to send, and one Buffer shared by every request keeps memory bounded
 * (at most `maxBytes` in all). One entry may take half the cache.
 */
export function teamListCache(maxBytes = 64 * 1024 * 1024) {
  const maxEntryBytes = maxBytes / 2
  const entries = new Map<number, TeamListEntry>()
  let bytes = 0

  function drop(accountId: number) {
    const old = entries.get(accountId)
    if (!old) return
    entries.delete(accountId)
    bytes -= old.body.length
  }

  return {
    get(accountId: number, version: number, now: number): Buffer | undefined {
      const entry = entries.get(accountId)
      if (!entry) return undefined
      if (entry.version === version && now < entry.validUntil) return entry.body
      if (entry.version <= version || now >= entry.validUntil) drop(accountId)
      return undefined
    },

    set(accountId: number, entry: TeamListEntry) {
      if (entry.body.length > maxEntryBytes) return
      const old = entries.get(accountId)
      // Concurrent rebuilds: never replace a newer version by an older one.
      if (old && old.version > entry.version) return
      drop(accountId)
      // Oldest first out (a Map iterates in insertion order).
      for (const [id] of entries) {
        if (bytes + entry.body.length <= maxBytes) break
        drop(id)
      }
      entries.set(accountId, entry)
      bytes += entry.body.length
    },
  }
}

export type TeamListCache = ReturnType<typeof teamListCache>
