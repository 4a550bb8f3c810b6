/**
 * A real SMTP server for tests (smtp-server, in-process, on a free port) and a small MIME reader
 * for what it receives: enough to check headers and read the text and HTML parts.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  /** MAIL FROM: tells apart instances configured with different MAIL_FROM addresses. */
  envelopeFrom: string
  envelopeTo: string[]
  raw: string
  header(name: string): string | undefined
  text: string
  html: string
}

export interface TestSmtp {
  readonly port: number
  readonly received: ReceivedMail[]
  /** Resolves when `count` messages in all have arrived. */
  waitFor(count: number): Promise<ReceivedMail[]>
  /**
   * From now on, answers every connection with 421 (service not available) while keeping the
   * port: SMTP is "down" for the sender, and no other program can take the port meanwhile.
   */
  refuse(): void
  /** Serves again after `refuse()`. */
  serve(): void
  /** From now on, holds each message (the sender waits for its answer) until `release()`. */
  hold(): void
  /** Resolves when `count` messages are held at once. */
  waitForHeld(count: number): Promise<void>
  /** Accepts the held messages and stops holding. */
  release(): void
  close(): Promise<void>
}

function decode(body: string, encoding: string | undefined): string {
  const enc = encoding?.toLowerCase()
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (enc === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return body
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>()
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':')
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
  }
  return headers
}

function split(raw: string): [Map<string, string>, string] {
  const at = raw.search(/\r?\n\r?\n/)
  return [parseHeaders(raw.slice(0, at)), raw.slice(at).replace(/^\r?\n\r?\n/, '')]
}

export function parseMail(raw: string, envelopeTo: string[], envelopeFrom = ''): ReceivedMail {
  const [headers, body] = split(raw)
  const parts: Record<string, string> = {}
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1]
  const chunks = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw]
  for (const chunk of chunks) {
    const [h, b] = split(chunk.replace(/^\r?\n/, ''))
    const type = (h.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase()
    parts[type] = decode(b, h.get('content-transfer-encoding'))
  }
  return {
    envelopeFrom,
    envelopeTo,
    raw,
    header: (name) => headers.get(name.toLowerCase()),
    text: parts['text/plain'] ?? '',
    html: parts['text/html'] ?? '',
  }
}

export async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: ReceivedMail[] = []
  const waiters: { count: number; resolve: (m: ReceivedMail[]) => void }[] = []
  let refusing = false
  let holding = false
  const held: (() => void)[] = []
  const heldWaiters: { count: number; resolve: () => void }[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (!refusing) return callback()
      const error: Error & { responseCode?: number } = new Error('Service not available')
      error.responseCode = 421
      callback(error)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const accept = () => {
          const from = session.envelope.mailFrom
          received.push(
            parseMail(
              Buffer.concat(chunks).toString('utf8'),
              session.envelope.rcptTo.map((r) => r.address),
              from ? from.address : '',
            ),
          )
          for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve(received.slice())
          callback()
        }
        if (!holding) return accept()
        held.push(accept)
        for (const w of heldWaiters.filter((w) => held.length >= w.count)) w.resolve()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    waitFor(count) {
      if (received.length >= count) return Promise.resolve(received.slice())
      return new Promise((resolve) => waiters.push({ count, resolve }))
    },
    refuse: () => void (refusing = true),
    serve: () => void (refusing = false),
    hold: () => void (holding = true),
    waitForHeld(count) {
      if (held.length >= count) return Promise.resolve()
      return new Promise((resolve) => heldWaiters.push({ count, resolve }))
    },
    release() {
      holding = false
      for (const accept of held.splice(0)) accept()
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** The invitation link in a message's text part. */
export function linkIn(mail: ReceivedMail): string {
  const match = /https?:\/\/\S+\/addUserToAccount\?\S+/.exec(mail.text)
  if (!match) throw new Error(`no invitation link in:\n${mail.text}`)
  return match[0]
}
