/**
 * The application sign-in step (Sign in with Roster) that sent the person to the sign-in page,
 * if any: only that kind of path, so `?return=` cannot send anyone elsewhere. A password sign-in
 * goes back there from the page; a single sign-on flow is given it to land there itself.
 */
export function oidcReturn(): string | null {
  const back = new URLSearchParams(window.location.search).get('return')
  return back && /^\/oidc\/interaction\/[\w-]{1,100}$/.test(back) ? back : null
}
