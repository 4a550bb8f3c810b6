import { Link } from '../components/Link.tsx'

export function NotFoundPage() {
  return (
    <section class="page">
      <h1>Page not found</h1>
      <p>
        This page does not exist, or your role cannot open it. <Link href="/team">Go to the team</Link>.
      </p>
    </section>
  )
}
