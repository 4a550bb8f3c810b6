/** The sender thread's entry (webhook.sender.ts starts it): sends each run it is handed. */
import { constants, setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { sendRun, type RunRequest } from './webhook.run.ts'

// Deliveries are background work: when the cores are busy, serving requests comes first. On
// Linux a nice value is a thread's own (setpriority on the calling thread, pid 0), so only this
// thread yields; elsewhere it would be the whole process's, and is left alone.
if (process.platform === 'linux') {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL)
  } catch {
    // Not allowed here (a sandbox): deliveries run at the process's priority.
  }
}

parentPort?.on('message', (message: { id: number; run: RunRequest }) => {
  sendRun(message.run).then(
    (outcomes) => parentPort?.postMessage({ id: message.id, outcomes }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, error: String(error) }),
  )
})
