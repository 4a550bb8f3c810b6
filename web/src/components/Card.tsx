import type { ComponentChildren } from 'preact'

/** The centred frame of the pages seen before signing in (setup, sign-in, invitation). */
export function Card({ title, children }: { title: string; children: ComponentChildren }) {
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
