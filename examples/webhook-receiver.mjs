// Receives Roster's webhooks and trusts only correctly signed ones (Standard Webhooks).
import { createServer } from 'node:http'
import { Webhook } from 'standardwebhooks'

const wh = new Webhook(process.env.ROSTER_WEBHOOK_SECRET) // the whsec_… shown once
const port = Number(process.env.PORT ?? 3000)
createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  try {
    const event = wh.verify(body, req.headers) // throws unless signed with the secret, recently
    console.log('accepted', req.headers['webhook-id'], event.type)
    res.writeHead(204).end()
  } catch {
    console.log('rejected', req.headers['webhook-id'])
    res.writeHead(400).end()
  }
}).listen(port, () => console.log(`listening on ${port}`))
