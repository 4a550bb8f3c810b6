/**
 * The one error type services throw. `code` is a stable machine code from a domain catalogue;
 * the HTTP layer maps it to a status in one place (http/error-handler.ts).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** For limits: when the client may try again (becomes Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** Builds a typed thrower from a domain's catalogue of `CODE → message`. */
export function catalogue<const C extends Record<string, string>>(messages: C) {
  return Object.assign((code: keyof C & string) => new AppError(code, messages[code]!), { messages })
}
