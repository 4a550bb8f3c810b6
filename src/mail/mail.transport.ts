/**
 * Where messages go: an SMTP server (SMTP_URL, through nodemailer), or — without SMTP_URL, the
 * embedded default — the log, so a newcomer can still follow an invitation link.
 */
import type { Transporter } from 'nodemailer'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'

const TIMEOUTS = { connection: 10_000, greeting: 10_000, socket: 30_000 }

/** How long one message can take over SMTP before the transport gives up on it. */
export const SMTP_MESSAGE_MAX_MS = TIMEOUTS.connection + TIMEOUTS.greeting + TIMEOUTS.socket

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html: string
}

export interface MailTransport {
  readonly kind: 'smtp' | 'log'
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

export function createMailTransport(config: Config, log: Logger): MailTransport {
  if (!config.smtpUrl) {
    return {
      kind: 'log',
      async send(mail) {
        log.info(
          { to: mail.to, subject: mail.subject },
          `SMTP_URL is not set; the message is not emailed:\n${mail.text}`,
        )
      },
      close() {},
    }
  }
  // Created on first use: the CLI builds services too, and never sends.
  let transporter: Transporter | undefined
  return {
    kind: 'smtp',
    async send(mail) {
      const { default: nodemailer } = await import('nodemailer')
      transporter ??= nodemailer.createTransport({
        url: config.smtpUrl,
        connectionTimeout: TIMEOUTS.connection,
        greetingTimeout: TIMEOUTS.greeting,
        socketTimeout: TIMEOUTS.socket,
      } as Parameters<typeof nodemailer.createTransport>[0])
      await transporter.sendMail({
        from: config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      })
    },
    close() {
      transporter?.close()
    },
  }
}
