/** The few HTML pages oidc-provider renders itself (sign-out question, errors), in Roster's words. */
import type { KoaContextWithOIDC } from 'oidc-provider'
import { escapeHtml } from '../shared/html.ts'

/** `formTargets`: origins a form's submission may be redirected to (browsers hold redirects to form-action). */
const csp = (formTargets: string[] = []) =>
  `default-src 'none'; style-src 'unsafe-inline'; form-action ${["'self'", ...formTargets].join(' ')}; frame-ancestors 'none'; base-uri 'none'`
const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1f2933}button{font:inherit;padding:.5rem 1rem;margin:.25rem .5rem .25rem 0}'

function page(ctx: KoaContextWithOIDC, title: string, body: string, formTargets?: string[]) {
  ctx.set('content-security-policy', csp(formTargets))
  ctx.type = 'html'
  ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Roster</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
}

/**
 * RP-initiated logout asks before ending the Roster session. `form` is the provider's own form;
 * its answer redirects to the application's registered post-logout URI (checked by the provider).
 */
export async function logoutSource(ctx: KoaContextWithOIDC, form: string) {
  const back = ctx.oidc.params?.post_logout_redirect_uri
  page(
    ctx,
    'Sign out of Roster?',
    `${form}<p>The application asked to sign you out of Roster.</p><button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button><button type="submit" form="op.logoutForm">Stay signed in</button>`,
    typeof back === 'string' ? [new URL(back).origin] : [],
  )
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
  page(ctx, 'Signed out', '<p>You are signed out of Roster. <a href="/">Sign in again</a></p>')
}

/** An error the provider cannot send back to the application (e.g. an unknown redirect URI). */
export async function renderError(
  ctx: KoaContextWithOIDC,
  out: { error: string; error_description?: string },
) {
  page(
    ctx,
    'Sign-in request refused',
    `<p><code>${escapeHtml(out.error)}</code>: ${escapeHtml(out.error_description ?? '')}</p><p>Go back to the application and try again.</p>`,
  )
}
