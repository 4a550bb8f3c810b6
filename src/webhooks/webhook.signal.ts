/**
 * "A delivery was just written": lets the worker of this process look sooner than its next poll.
 * It is only a hint (the transaction may not have committed yet); the poll is what guarantees
 * delivery, including of events written by another instance.
 */
type Listener = () => void

const listeners = new Set<Listener>()

export const webhookSignal = {
  emit() {
    for (const listener of listeners) listener()
  },
  on(listener: Listener) {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  },
}
