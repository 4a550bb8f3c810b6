/** A tiny history-API router: the path is state, links push it, back/forward restore it. */
import { useEffect, useState } from 'preact/hooks'

const listeners = new Set<() => void>()

export function navigate(path: string, options: { replace?: boolean } = {}) {
  if (options.replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  listeners.forEach((listener) => listener())
}

window.addEventListener('popstate', () => listeners.forEach((listener) => listener()))

/** The current path; re-renders the caller whenever it changes. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname)
  useEffect(() => {
    const update = () => setPath(location.pathname)
    listeners.add(update)
    return () => void listeners.delete(update)
  }, [])
  return path
}
