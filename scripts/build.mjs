#!/usr/bin/env node
// Bundles the server into dist/server.mjs (and its threads into files of their own) for `npm start` (run as `prestart`, so the bundle is
// always the current source). Measured: start to healthy fell from ~7 s (tsx compiling src and
// resolving ~600 module files through its loader thread) to ~2 s on the shared 2-core machine;
// see docs/benchmarks.md. Development and tests still run the sources through tsx.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

// Threads are started by path (src/shared/thread.ts): each its own file.
const entryPoints = {
  server: 'src/server.ts',
  'webhook-sender': 'src/webhooks/webhook.sender-thread.ts',
  'wal-checkpoint': 'src/db/wal-checkpoint-thread.ts',
}

await build({
  entryPoints,
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
  // The bundle's text stays in memory for as long as the server runs (V8 keeps a script's source
  // to compile functions lazily). Written as is, with the dependencies' comments, it was 8.2 MB,
  // and the few non-ASCII characters in those comments made V8 hold all of it as UTF-16: 16 MB of
  // the heap. Without whitespace and comments it is 5.5 MB of ASCII, 12 MB less resident memory.
  // Names are kept, so stack traces still name functions; the linked source map gives positions
  // in the sources (`node --enable-source-maps dist/server.mjs`), and licence comments go to
  // server.mjs.LEGAL.txt beside the bundle.
  minifyWhitespace: true,
  legalComments: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
})

// One character outside ASCII anywhere in it (esbuild escapes them in code, not in comments) and
// V8 would hold the whole bundle as UTF-16 again.
for (const name of Object.keys(entryPoints)) {
  const file = `${name}.mjs`
  const at = readFileSync(`dist/${file}`, 'latin1').search(/[^\x00-\x7f]/)
  if (at >= 0)
    throw new Error(`dist/${file} has a non-ASCII character at offset ${at}: it would double its memory`)
}
