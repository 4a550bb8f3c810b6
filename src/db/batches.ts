/**
 * The queue behind both group commits (group-commit.ts on SQLite, account-batches.ts on
 * PostgreSQL): work that arrives while a batch of its key is under way waits, and goes in the
 * next batch of that key, up to MAX_BATCH at a time. Keys run independently (PostgreSQL batches
 * per account; SQLite has one writer, so one key).
 */
const MAX_BATCH = 64

/** A piece of work waiting for its batch, and how its caller is answered. */
export interface Pending<W> {
  readonly work: W
  resolve(value: unknown): void
  reject(error: unknown): void
}

export class Batches<K, W> {
  private readonly queues = new Map<K, Pending<W>[]>()

  /** `run` commits one batch and answers every one of its pendings. */
  constructor(private readonly run: (key: K, batch: Pending<W>[]) => Promise<void>) {}

  add<T>(key: K, work: W): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending = { work, resolve: resolve as (value: unknown) => void, reject }
      const queue = this.queues.get(key)
      if (queue) return void queue.push(pending)
      this.queues.set(key, [pending])
      void this.drain(key)
    })
  }

  private async drain(key: K) {
    const queue = this.queues.get(key)!
    try {
      // Requests that arrived meanwhile are still unread: letting I/O run once before each batch
      // is what lets them join it.
      do {
        await new Promise((resolve) => setImmediate(resolve))
        const batch = queue.splice(0, MAX_BATCH)
        // Should it throw all the same, its callers hear why (an answered one is not answered
        // twice), and the queue goes on.
        await this.run(key, batch).catch((error: unknown) => batch.forEach((p) => p.reject(error)))
      } while (queue.length > 0)
    } finally {
      this.queues.delete(key)
    }
  }
}
