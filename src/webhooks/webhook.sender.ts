/**
 * Runs are sent from a thread of their own. Delivering is HTTP client work (connections, headers,
 * signatures, reading answers) as heavy per event as serving the request that caused it; on the
 * request-serving event loop it slowed `inviteUsers` by 15-30 % while an endpoint was enabled
 * (docs/benchmarks.md). The thread holds no state the database does not: if it dies, the runs it
 * held fail, their claims expire and they are sent again (at least once, as after a crash).
 */
import type { Worker } from 'node:worker_threads'
import { startThread } from '../shared/thread.ts'
import type { RunOutcome, RunRequest } from './webhook.run.ts'

type Reply = { id: number; outcomes: RunOutcome[] } | { id: number; error: string }

export function webhookSender() {
  let thread: Worker | undefined
  let nextId = 0
  const waiting = new Map<number, { resolve: (o: RunOutcome[]) => void; reject: (e: Error) => void }>()

  function failAll(error: Error) {
    for (const { reject } of waiting.values()) reject(error)
    waiting.clear()
  }

  function started(): Worker {
    if (thread) return thread
    const worker = startThread('webhook-sender.mjs', new URL('./webhook.sender-thread.ts', import.meta.url))
    // Idle, it never keeps the process alive; while runs are out, it does (see send()).
    worker.unref()
    worker.on('message', (reply: Reply) => {
      const w = waiting.get(reply.id)
      if (!w) return
      waiting.delete(reply.id)
      if (waiting.size === 0) worker.unref()
      if ('error' in reply) w.reject(new Error(reply.error))
      else w.resolve(reply.outcomes)
    })
    worker.on('error', (error) => failAll(error))
    worker.on('exit', (code) => {
      if (thread === worker) thread = undefined
      failAll(new Error(`webhook sender thread exited (${code})`))
    })
    thread = worker
    return worker
  }

  return {
    send(run: RunRequest): Promise<RunOutcome[]> {
      const id = nextId++
      return new Promise<RunOutcome[]>((resolve, reject) => {
        const worker = started()
        waiting.set(id, { resolve, reject })
        worker.ref()
        worker.postMessage({ id, run })
      })
    },
    async close() {
      const worker = thread
      thread = undefined
      await worker?.terminate()
    },
  }
}

export type WebhookSender = ReturnType<typeof webhookSender>
