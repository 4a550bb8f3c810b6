import type { ComponentChildren } from 'preact'
import { useEffect } from 'preact/hooks'

/** The centred frame of the pages seen before signing in (setup, sign-in, invitation). */
export function Card({ title, children }: { title: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Roster`
  }, [title])
  return (
    <main id="main" class="card-page">
      <div class="card">
        <p class="brand brand-dark">Roster</p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  )
}
