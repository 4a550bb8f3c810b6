/** Entry point: read configuration, build the app, listen, and stop cleanly on SIGTERM/SIGINT. */
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { listenForMetrics } from './metrics/metrics.routes.ts'

async function main() {
  const config = loadConfig()
  const { server, services, deps } = await buildApp(config, { mailWorker: true, webhookWorker: true })
  const metricsServer =
    deps.metrics && config.metricsPort !== null
      ? await listenForMetrics(deps.metrics, {
          host: config.host,
          port: config.metricsPort,
          token: config.metricsToken,
        })
      : undefined
  if (metricsServer) server.addHook('onClose', async () => metricsServer.close())
  if (services.outbox.transportKind === 'log') {
    server.log.warn('SMTP_URL is not set: invitation emails are written to this log instead of being sent')
  }
  let closing = false
  // Answers finished while shutting down close their connection, so a keep-alive client cannot
  // hold the server open after its request in flight is done.
  server.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    server.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      server.log.error('still closing after 10 s: exiting')
      process.exit(1)
    }, 10_000)
    force.unref()
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.log.error({ err: error }, 'error while closing')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  await server.listen({ port: config.port, host: config.host })
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error)
  process.stderr.write(`roster: ${message}\n`)
  process.exit(1)
})
