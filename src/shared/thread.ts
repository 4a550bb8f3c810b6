import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts a worker thread from its module: in the bundle (`npm start`) the module's own built
 * file next to dist/server.mjs (scripts/build.mjs), under tsx (tests, `npm run dev`) the source.
 * `source` is resolved by the caller (`new URL('./x-thread.ts', import.meta.url)`).
 */
export function startThread(bundled: string, source: URL, options: WorkerOptions = {}): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${bundled}`, import.meta.url), options)
  // A thread does not inherit the loader tsx registered in this one.
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}) })`,
    { ...options, eval: true },
  )
}
