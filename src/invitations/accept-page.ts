/**
 * The page an invitation link opens: server-rendered, no external resources, everything from the
 * request escaped, a strict CSP with a per-response nonce, and no Referer (the URL holds the code).
 * It calls the same /api/acceptInvitation the web UI uses.
 */
import { randomBytes } from 'node:crypto'
import type { InvitationInfo } from './acceptance.service.ts'

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function pageHeaders(nonce: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
  }
}

export const newNonce = () => randomBytes(16).toString('base64')

function layout(nonce: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Roster</title>
<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem}#message{margin-top:1rem}.error{color:#b00020}</style></head>
<body>${body}</body></html>`
}

export function errorPage(nonce: string, message: string): string {
  return layout(
    nonce,
    'Invitation',
    `<h1>Invitation</h1><p class="error" role="alert">${escapeHtml(message)}</p>`,
  )
}

export function acceptPage(nonce: string, info: InvitationInfo, code: string): string {
  const fields = info.userExists
    ? `<p>You already have a Roster user: sign in with your password to join.</p>`
    : `<label for="name">Your name</label><input id="name" name="name" autocomplete="name" maxlength="200">`
  const action = info.userExists ? 'Sign in and join' : 'Create my user and join'
  const expires = new Date(info.expiresAt).toUTCString()
  return layout(
    nonce,
    `Join ${info.accountName}`,
    `<h1>Join ${escapeHtml(info.accountName)}</h1>
<p><strong>${escapeHtml(info.inviterName)}</strong> (${escapeHtml(info.inviterEmail)}) invited
<strong>${escapeHtml(info.email)}</strong> to join <strong>${escapeHtml(info.accountName)}</strong>
as <strong>${escapeHtml(info.role)}</strong>. The invitation expires on ${escapeHtml(expires)}.</p>
<form id="accept" data-code="${escapeHtml(code)}" data-email="${escapeHtml(info.email)}">
${fields}
<label for="password">Password</label>
<input id="password" name="password" type="password" required minlength="8" autocomplete="${info.userExists ? 'current-password' : 'new-password'}">
<button type="submit">${action}</button>
</form>
<p id="message" role="status"></p>
<script nonce="${nonce}">
const form = document.getElementById('accept'), message = document.getElementById('message')
form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const body = { signupInvitationCode: form.dataset.code, signupEmailId: form.dataset.email, password: form.password.value }
  if (form.name && form.name.value) body.name = form.name.value
  message.className = ''
  message.textContent = 'Joining…'
  const res = await fetch('/api/acceptInvitation', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const data = await res.json().catch(() => ({}))
  if (res.ok) {
    form.remove()
    message.textContent = 'You joined as ' + data.role + ' and are signed in.'
  } else {
    message.className = 'error'
    message.textContent = (data.actionErrors && data.actionErrors[0]) || 'Something went wrong; try again.'
  }
})
</script>`,
  )
}
