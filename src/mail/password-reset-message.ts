/** The password-reset email: the link, its expiry, and what to do when it was not you. */
import { escapeHtml } from '../shared/html.ts'
import { oneLine } from './invitation-message.ts'

export const PASSWORD_RESET_KIND = 'password_reset'

export const PASSWORD_RESET_SUBJECT = 'Reset your Roster password'

export interface PasswordResetMailInput {
  name: string
  link: string
  expiresAt: number
}

export function passwordResetMessage(input: PasswordResetMailInput) {
  const greeting = input.name ? `Hello ${oneLine(input.name)},` : 'Hello,'
  const expires = new Date(input.expiresAt).toUTCString()
  const subject = PASSWORD_RESET_SUBJECT
  const text = [
    greeting,
    '',
    'Someone (hopefully you) asked to reset the password of your Roster user.',
    'Choose a new password by opening this link:',
    input.link,
    '',
    `The link works once and expires on ${expires}. Setting a new password signs you out everywhere.`,
    'If you did not ask for this, ignore this email: your password stays as it is.',
    '',
  ].join('\n')
  const e = escapeHtml
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${e(greeting)}</p>
<p>Someone (hopefully you) asked to reset the password of your Roster user.</p>
<p><a href="${e(input.link)}">Choose a new password</a></p>
<p>Or copy this link into your browser:<br>${e(input.link)}</p>
<p>The link works once and expires on ${e(expires)}. Setting a new password signs you out everywhere.</p>
<p>If you did not ask for this, ignore this email: your password stays as it is.</p>
</body></html>`
  return { subject, text, html }
}
