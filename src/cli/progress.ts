/** A progress bar on standard error, only for a person at a terminal (never under --json). */
import cliProgress from 'cli-progress'

export interface Progress {
  update(done: number): void
  stop(): void
}

export function progressBar(total: number, options: { json?: boolean | undefined }): Progress {
  if (options.json || !process.stderr.isTTY || total === 0) return { update: () => {}, stop: () => {} }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{bar} {percentage}% | {value}/{total} rows | {eta_formatted} left',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, 0)
  return { update: (done) => bar.update(done), stop: () => bar.stop() }
}
