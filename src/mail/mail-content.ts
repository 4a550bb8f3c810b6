/**
 * What a queued message says, kept as its template's inputs and rendered when it is sent. The
 * outbox writes a message's row three times (queued, claimed, settled); an invitation's rendered
 * text is ~1.7 KB and its inputs ~0.5 KB, so the smaller row is fewer database pages written for
 * every invitation (docs/benchmarks.md). The subject is kept rendered: `roster mail list` shows it.
 */
import { invitationMessage, invitationSubject, type InvitationMailInput } from './invitation-message.ts'
import {
  PASSWORD_RESET_KIND,
  PASSWORD_RESET_SUBJECT,
  passwordResetMessage,
  type PasswordResetMailInput,
} from './password-reset-message.ts'

export type MailContent =
  | { kind: 'invitation'; input: InvitationMailInput }
  | { kind: typeof PASSWORD_RESET_KIND; input: PasswordResetMailInput }

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

/** The columns a message is queued with. */
export function storedContent(content: MailContent): { kind: string; subject: string; inputs: string } {
  const subject = content.kind === 'invitation' ? invitationSubject(content.input) : PASSWORD_RESET_SUBJECT
  return { kind: content.kind, subject, inputs: JSON.stringify(content.input) }
}

/** A queued message's text: rendered from its inputs, or as stored by a Roster before inputs. */
export function renderStored(row: {
  kind: string
  inputs: string | null
  subject: string
  text_body: string
  html_body: string
}): RenderedMail {
  if (row.inputs === null) return { subject: row.subject, text: row.text_body, html: row.html_body }
  const content = { kind: row.kind, input: JSON.parse(row.inputs) } as MailContent
  switch (content.kind) {
    case 'invitation':
      return invitationMessage(content.input)
    case PASSWORD_RESET_KIND:
      return passwordResetMessage(content.input)
    default:
      throw new Error(`no template for mail of kind ${row.kind}`)
  }
}
