/**
 * The one way a page loads what it shows: runs `load` on mount and whenever `deps` change,
 * keeps the latest result and the message of the latest failure, and ignores an answer that
 * arrives after a newer request was made (a fast click through pages must not show stale data).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { messageOf } from './api.ts'

export interface Loaded<T> {
  /** The latest data; undefined while the first load runs (and after a failed first load). */
  data: T | undefined
  /** The message of the latest failure, '' when the latest load succeeded. */
  error: string
  /** Loads again; resolves once the new data (or error) is in state. */
  reload: () => Promise<void>
  /** Shows a message from elsewhere (a failed action) where load errors appear. */
  setError: (message: string) => void
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>()
  const [error, setError] = useState('')
  const latest = useRef(0)
  const run = useCallback(load, deps)

  const reload = useCallback(async () => {
    const ticket = ++latest.current
    try {
      const result = await run()
      if (ticket !== latest.current) return
      setData(result)
      setError('')
    } catch (e) {
      if (ticket === latest.current) setError(messageOf(e))
    }
  }, [run])

  useEffect(() => void reload(), [reload])
  return { data, error, reload, setError }
}
