/**
 * A local webhook receiver in its own process (so that it does not share the load generator's
 * event loop): answers 204 to every POST and counts them; GET /stats gives the count and the
 * times of the first and last receipt (ms, this process's clock).
 */
import { createServer } from 'node:http'

const port = Number(process.env.PORT)
let count = 0
let first = 0
let last = 0

createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok')
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' })
    return res.end(JSON.stringify({ count, first, last }))
  }
  req.resume()
  req.on('end', () => {
    const now = performance.now()
    if (count === 0) first = now
    last = now
    count++
    res.writeHead(204).end()
  })
}).listen(port, '127.0.0.1', () => process.send?.({ ready: true }))
