/**
 * The invitation email: a clear subject, and plain-text and HTML parts with the inviter, the
 * account, the role, the link and its expiry. Names come from requests: they are stripped of
 * control characters (no CR/LF can reach a header) and escaped in the HTML part.
 */
import { withoutControls } from '../shared/without-controls.ts'
import { escapeHtml } from '../shared/html.ts'

export interface InvitationMailInput {
  inviterName: string
  inviterEmail: string
  accountName: string
  inviteeName: string | null
  role: string
  link: string
  expiresAt: number
}

/** One line of plain text: no control characters, bounded. */
export function oneLine(value: string, max = 200): string {
  return withoutControls(value).replace(/\s+/g, ' ').slice(0, max)
}

const inviterOf = (input: InvitationMailInput) => oneLine(input.inviterName) || oneLine(input.inviterEmail)

export function invitationSubject(input: InvitationMailInput): string {
  return `${inviterOf(input)} invited you to join ${oneLine(input.accountName)}`
}

export function invitationMessage(input: InvitationMailInput) {
  const inviter = inviterOf(input)
  const account = oneLine(input.accountName)
  const greeting = input.inviteeName ? `Hello ${oneLine(input.inviteeName)},` : 'Hello,'
  const expires = new Date(input.expiresAt).toUTCString()
  const subject = invitationSubject(input)
  const text = [
    greeting,
    '',
    `${inviter} (${oneLine(input.inviterEmail)}) invited you to join ${account} on Roster as ${input.role}.`,
    '',
    'Accept the invitation by opening this link:',
    input.link,
    '',
    `The link works once and expires on ${expires}.`,
    'If you did not expect this invitation, you can ignore this email.',
    '',
  ].join('\n')
  const e = (value: string) => escapeHtml(value)
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${e(greeting)}</p>
<p><strong>${e(inviter)}</strong> (${e(oneLine(input.inviterEmail))}) invited you to join <strong>${e(account)}</strong> on Roster as <strong>${e(input.role)}</strong>.</p>
<p><a href="${e(input.link)}">Accept the invitation</a></p>
<p>Or copy this link into your browser:<br>${e(input.link)}</p>
<p>The link works once and expires on ${e(expires)}.</p>
<p>If you did not expect this invitation, you can ignore this email.</p>
</body></html>`
  return { subject, text, html }
}
