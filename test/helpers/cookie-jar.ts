/** A browser's cookies for fetch-driven flows: every cookie is sent back on the next request. */
export interface CookieJar {
  header(): string
  get(name: string): string | undefined
  take(res: Response): void
}

export function cookieJar(): CookieJar {
  const jar = new Map<string, string>()
  return {
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    get: (name) => jar.get(name),
    take(res) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const eq = pair!.indexOf('=')
        const name = pair!.slice(0, eq)
        const value = pair!.slice(eq + 1)
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name)
        else jar.set(name, value)
      }
    },
  }
}
