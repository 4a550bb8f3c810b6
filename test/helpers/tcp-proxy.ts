/**
 * A TCP proxy in front of a server (here PostgreSQL), to take the database away from Roster and
 * give it back without touching the shared server: `cut()` drops every connection and refuses new
 * ones, `stall()` accepts connections but never answers (a network black hole), `restore()`
 * forwards again.
 */
import { createConnection, createServer, type Socket } from 'node:net'

export interface TcpProxy {
  readonly port: number
  cut(): void
  stall(): void
  restore(): void
  close(): Promise<void>
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'forward' | 'cut' | 'stall' = 'forward'
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
  }
  const server = createServer((client) => {
    track(client)
    if (mode === 'cut') return void client.destroy()
    if (mode === 'stall') return
    const upstream = createConnection(target)
    track(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no port')
  const dropAll = () => {
    for (const socket of sockets) socket.destroy()
  }
  return {
    port: address.port,
    cut() {
      mode = 'cut'
      dropAll()
    },
    stall() {
      mode = 'stall'
      dropAll()
    },
    restore() {
      mode = 'forward'
      dropAll()
    },
    close() {
      dropAll()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
