/**
 * A real HTTP receiver for webhook tests (node:http on a port from the OS, or node:https when
 * given a certificate). It verifies each request with the `standardwebhooks` package, as a
 * receiver would, and answers as told: a status, a hang, a huge body, or not at all (closed).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { Webhook } from 'standardwebhooks'

export interface Received {
  readonly id: string
  readonly timestamp: string
  readonly signature: string
  readonly userAgent: string | undefined
  readonly contentType: string | undefined
  readonly body: string
  readonly json: any
}

export type Behaviour = { status: number; body?: string } | 'hang' | 'huge' | 'redirect'

export interface Receiver {
  readonly url: string
  readonly port: number
  readonly received: Received[]
  /** Requests answered 2xx. */
  readonly accepted: Received[]
  behaviour: Behaviour
  /** Answers (2xx or not) this much later. */
  delayMs: number
  /** From now on, keeps each answer (2xx or not) back until `release()`. */
  hold(): void
  /** Sends the answers kept back and stops holding. */
  release(): void
  /** Sends one answer kept back (the `index`-th request held, from 0), and goes on holding. */
  answerHeld(index: number): void
  /** Verifies a request's signature with a secret, as a receiver would; throws if it does not verify. */
  verify(r: Received, secret: string): any
  /** Waits until `predicate` holds (polls; no fixed sleep). */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>
  close(): Promise<void>
  /** Stops listening (the port refuses connections) until reopen(). */
  down(): Promise<void>
  reopen(): Promise<void>
}

export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

function read(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

/** An HTTPS receiver: its certificate and key (PEM), the name its URL uses, and the address it listens on. */
export interface ReceiverTls {
  readonly cert: string
  readonly key: string
  readonly hostname: string
  readonly address: string
}

export async function startReceiver(port = 0, tls?: ReceiverTls): Promise<Receiver> {
  const received: Received[] = []
  const accepted: Received[] = []
  const sockets = new Set<Socket>()
  let server: Server
  let held: ((() => void) | undefined)[] | undefined
  const self: Receiver = {
    url: '',
    port: 0,
    received,
    accepted,
    behaviour: { status: 200 },
    delayMs: 0,
    hold: () => void (held ??= []),
    release() {
      const answers = held ?? []
      held = undefined
      for (const answer of answers) answer?.()
    },
    answerHeld(index) {
      const answer = held?.[index]
      if (!answer) throw new Error(`no answer held at ${index}`)
      held![index] = undefined
      answer()
    },
    verify(r, secret) {
      return new Webhook(secret).verify(r.body, {
        'webhook-id': r.id,
        'webhook-timestamp': r.timestamp,
        'webhook-signature': r.signature,
      })
    },
    waitFor: (predicate, what, timeoutMs) => waitFor(predicate, what, timeoutMs),
    close: () => down(),
    down: () => down(),
    reopen: () => listen(self.port),
  }

  function handler(request: IncomingMessage, response: import('node:http').ServerResponse) {
    void read(request).then((body) => {
      const h = request.headers
      const r: Received = {
        id: String(h['webhook-id']),
        timestamp: String(h['webhook-timestamp']),
        signature: String(h['webhook-signature']),
        userAgent: h['user-agent'],
        contentType: h['content-type'],
        body,
        json: JSON.parse(body),
      }
      received.push(r)
      const b = self.behaviour
      if (b === 'hang') return // never answers
      if (b === 'redirect') {
        response.writeHead(307, { location: `${self.url}/elsewhere` }).end()
        return
      }
      if (b === 'huge') {
        // 50 MB, written as fast as the client reads it; a client that stops reading stops it.
        response.writeHead(200, { 'content-type': 'text/plain' })
        const chunk = Buffer.alloc(1024 * 1024, 'x')
        let left = 50
        const more = () => {
          while (left > 0) {
            left--
            if (!response.write(chunk)) return void response.once('drain', more)
          }
          response.end()
        }
        response.on('error', () => {})
        more()
        return
      }
      const answer = () => {
        if (b.status >= 200 && b.status < 300) accepted.push(r)
        response.writeHead(b.status, { 'content-type': 'text/plain' }).end(b.body ?? 'ok')
      }
      if (held) held.push(answer)
      else if (self.delayMs > 0) setTimeout(answer, self.delayMs)
      else answer()
    })
  }

  function listen(p: number): Promise<void> {
    server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler)
    server.on('connection', (s) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(p, tls?.address ?? '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port
        const url = tls ? `https://${tls.hostname}:${port}` : `http://127.0.0.1:${port}`
        Object.assign(self, { port, url })
        resolve()
      })
    })
  }

  function down(): Promise<void> {
    for (const s of sockets) s.destroy()
    return new Promise((resolve) => server.close(() => resolve()))
  }

  await listen(port)
  return self
}
