/** What every CLI command runs with: the configured database, migrated, and the services. */
import { readFileSync } from 'node:fs'
import pino from 'pino'
import { loadConfig } from '../config.ts'
import { openDatabase } from '../db/engine.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { createServices, type Services } from '../services.ts'
import { AppError } from '../shared/app-error.ts'
import type { Deps } from '../shared/deps.ts'

export interface CommandContext {
  deps: Deps
  services: Services
}

export interface OutputOptions {
  json?: boolean
}

/** One JSON line with --json, a readable line without. */
export function print(options: OutputOptions, data: unknown, human: string) {
  process.stdout.write(options.json ? `${JSON.stringify(data)}\n` : `${human}\n`)
}

/** Opens the database, runs the command, closes; errors become a clear message and exit 1. */
export async function run(work: (ctx: CommandContext) => Promise<void>): Promise<void> {
  let close: (() => Promise<void>) | undefined
  try {
    const config = loadConfig()
    const database = openDatabase(config.databaseUrl, { poolSize: 2 })
    close = () => database.close()
    await migrateToLatest(database.db)
    const deps: Deps = {
      config,
      database,
      clock: Date.now,
      log: pino({ level: 'warn' }, pino.destination(2)),
    }
    await work({ deps, services: await createServices(deps) })
  } catch (error) {
    fail(error)
  } finally {
    await close?.().catch(() => {})
  }
}

/** Prints an error the way every command does (with its code when it is one of ours) and sets exit code 1. */
export function fail(error: unknown) {
  const message =
    error instanceof AppError
      ? `${error.message} (${error.code})`
      : error instanceof Error
        ? error.message
        : String(error)
  process.stderr.write(`roster: ${message}\n`)
  process.exitCode = 1
}

/** Parses a positive integer option, or stops with a message that names it. */
export function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d{1,9}$/.test(value) || Number(value) === 0)
      throw new AppError('INVALID_ARGUMENT', `${name} must be a positive whole number`)
    return Number(value)
  }
}

const UNREADABLE: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
}

/** Reads the file an option names, or stops with a message that names both (not Node's raw errno text). */
export function readOptionFile(option: string, path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (error) {
    const why = UNREADABLE[(error as NodeJS.ErrnoException).code ?? ''] ?? 'it cannot be read'
    throw new AppError('INVALID_ARGUMENT', `${option}: cannot read ${path}: ${why}`)
  }
}
