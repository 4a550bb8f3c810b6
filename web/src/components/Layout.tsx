import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { api, type Me } from '../api.ts'
import { navigate } from '../router.ts'
import { AccountSwitcher } from './AccountSwitcher.tsx'
import { Link } from './Link.tsx'

interface LayoutProps {
  me: Me
  path: string
  onSwitched: () => void
  onSignedOut: () => void
  children: ComponentChildren
}

/** The signed-in frame: skip link, header with navigation, account switcher and sign-out. */
export function Layout({ me, path, onSwitched, onSignedOut, children }: LayoutProps) {
  const links = [
    { href: '/team', label: 'Team', show: true },
    { href: '/roles', label: 'Roles', show: me.permissions.includes('roles:manage') },
    { href: '/api-keys', label: 'API keys', show: true },
    { href: '/applications', label: 'Applications', show: me.permissions.includes('oidcClients:manage') },
    { href: '/audit', label: 'Audit log', show: me.permissions.includes('audit:read') },
    { href: '/single-sign-on', label: 'Single sign-on', show: me.permissions.includes('sso:manage') },
    { href: '/security', label: 'Security', show: true },
    { href: '/provisioning', label: 'Provisioning', show: me.permissions.includes('scim:manage') },
    { href: '/webhooks', label: 'Webhooks', show: me.permissions.includes('webhooks:manage') },
  ]
  const current = links.find((l) => l.href === path || (l.href === '/team' && path === '/'))
  const main = useRef<HTMLElement>(null)
  const firstRender = useRef(true)
  useEffect(() => {
    document.title = `${current?.label ?? 'Roster'} · ${me.accountName} · Roster`
    // After a navigation, screen readers and keyboards start at the new page's content.
    if (!firstRender.current) main.current?.focus()
    firstRender.current = false
  }, [path, me.accountName])

  async function signOut() {
    await api('logout').catch(() => undefined)
    navigate('/', { replace: true })
    onSignedOut()
  }
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <span class="brand">Roster</span>
          <AccountSwitcher me={me} onSwitched={onSwitched} />
          <nav aria-label="Settings">
            <ul class="nav">
              {links
                .filter((l) => l.show)
                .map((l) => (
                  <li key={l.href}>
                    <Link href={l.href} current={path === l.href || (l.href === '/team' && path === '/')}>
                      {l.label}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
          <div class="user">
            <span class="user-email" title={`${me.name}, ${me.role}`}>
              {me.email}
            </span>
            <button type="button" class="button-secondary button-small" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </>
  )
}
