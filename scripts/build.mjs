#!/usr/bin/env node
// Bundles the server into dist/server.mjs (and its threads into files of their own) for `npm start` (run as `prestart`, so the bundle is
// always the current source). Measured: start to healthy fell from ~7 s (tsx compiling src and
// resolving ~600 module files through its loader thread) to ~2 s on the shared 2-core machine;
// see docs/benchmarks.md. Development and tests still run the sources through tsx.
import { build } from 'esbuild'

await build({
  // Threads are started by path (src/shared/thread.ts): each its own file.
  entryPoints: {
    server: 'src/server.ts',
    'webhook-sender': 'src/webhooks/webhook.sender-thread.ts',
    'wal-checkpoint': 'src/db/wal-checkpoint-thread.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Kept as packages: native code (better-sqlite3, pg-native), packages that read their own files
  // at run time (swagger-ui's assets) or start worker threads by path (pino transports).
  external: ['better-sqlite3', 'pg-native', '@fastify/swagger-ui', 'pino'],
  // Bundled CommonJS packages call require(); give the ES module one.
  banner: {
    js: "import { createRequire as __roster_require } from 'node:module'; const require = __roster_require(import.meta.url);",
  },
  logLevel: 'warning',
})
