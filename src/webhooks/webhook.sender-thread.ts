/** The sender thread's entry (webhook.sender.ts starts it): sends each run it is handed. */
import { parentPort } from 'node:worker_threads'
import { sendRun, type RunRequest } from './webhook.run.ts'

parentPort?.on('message', (message: { id: number; run: RunRequest }) => {
  sendRun(message.run).then(
    (outcomes) => parentPort?.postMessage({ id: message.id, outcomes }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, error: String(error) }),
  )
})
