/**
 * "An event may be waiting": lets the worker of this process look sooner than its next poll.
 * It is only a hint (the transaction may not have committed yet); the poll is what guarantees
 * delivery, including of events written by another instance.
 */
type Listener = () => void

const listeners = new Set<Listener>()

/**
 * Whether some endpoint existed when the worker last looked (or one was created here since):
 * while none does, changes give no hint, so a server without endpoints does no work per change.
 */
let someEndpoint = true

export const webhookSignal = {
  /** A delivery was just written. */
  emit() {
    for (const listener of listeners) listener()
  },
  /** A change that makes events was just written: a hint only while some endpoint may want it. */
  changed() {
    if (someEndpoint) webhookSignal.emit()
  },
  /** What the worker found, or that an endpoint was just created. */
  endpointsExist(some: boolean) {
    someEndpoint = some
  },
  on(listener: Listener) {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  },
}
