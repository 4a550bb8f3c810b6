import type { ComponentChildren } from 'preact'
import { navigate } from '../router.ts'

/** An ordinary link that navigates inside the page (modified clicks still open a new tab). */
export function Link(props: {
  href: string
  children: ComponentChildren
  current?: boolean
  class?: string
}) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
        event.preventDefault()
        navigate(props.href)
      }}
    >
      {props.children}
    </a>
  )
}
