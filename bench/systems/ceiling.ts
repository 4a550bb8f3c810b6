/**
 * The ceiling: a bare node:http server answering the route with a precomputed body of the same
 * bytes as Roster's answer. The most a Node process can do here. The body comes in BENCH_BODY,
 * or in the file BENCH_BODY_FILE when it is too large for the environment (a 100k-member team).
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const file = process.env.BENCH_BODY_FILE
const body = file ? readFileSync(file) : Buffer.from(process.env.BENCH_BODY ?? '[]')
const port = Number(process.env.PORT)

createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok')
  // Drain the request body, as a real handler would, then answer.
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length })
    res.end(body)
  })
}).listen(port, '127.0.0.1', () => process.send?.({ ready: true }))
