/**
 * SSRF guard: where a webhook URL may point. The host is resolved and every address checked;
 * the delivery then connects to the checked address itself (webhook.http.ts), so a DNS answer
 * that changes between the check and the connection (rebinding) cannot redirect it.
 */
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

// Two lists: a BlockList checks an IPv4 address against its IPv6 subnets too (as ::ffff:a.b.c.d),
// so ::/8 in the same list would refuse every IPv4 address.
const blockedV4 = new BlockList()
const blockedV6 = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blockedV4.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 8], // reserved: unspecified, loopback and the rest (IPv4 inside is checked before)
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215)
  ['100::', 64], // discard
  // Tunnels that carry an IPv4 address inside (RFC 4380's Teredo, RFC 3056's 6to4): a relay
  // would take the request on to it, loopback and private networks included. Both are
  // deprecated (RFC 7526), so nothing a receiver needs is refused with them.
  ['2001::', 32], // Teredo
  ['2002::', 16], // 6to4
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blockedV6.addSubnet(net, prefix, 'ipv6')
}

/**
 * The IPv4 address inside an IPv4-mapped, -compatible or -translated IPv6 address (::ffff:a.b.c.d,
 * ::a.b.c.d, ::ffff:0:a.b.c.d), if any. Checked as that IPv4 address: a BlockList of IPv6 subnets
 * does not match the translated form.
 */
function embeddedIpv4(ip: string): string | undefined {
  const m =
    /^(?:0{0,4}:){0,5}(?:ffff:(?:0{1,4}:)?)?(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(
      ip.replace(/^::/, '0:'),
    )
  if (!m || !/^(::|0{0,4}:)/i.test(ip)) return undefined
  if (m[1]) return m[1]
  const hi = parseInt(m[2]!, 16)
  const lo = parseInt(m[3]!, 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

export function isForbiddenAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 4) return blockedV4.check(ip, 'ipv4')
  if (family !== 6) return true
  const v4 = embeddedIpv4(ip.toLowerCase())
  if (v4 !== undefined) return isIP(v4) !== 4 || blockedV4.check(v4, 'ipv4')
  return blockedV6.check(ip, 'ipv6')
}

export interface Target {
  readonly url: URL
  readonly address: string
  readonly family: 4 | 6
}

/** `refused`: the policy refuses the address (final); otherwise the name did not resolve (retried). */
export type TargetCheck = { ok: true; target: Target } | { ok: false; reason: string; refused: boolean }

export interface UrlPolicy {
  readonly allowHttp: boolean
  readonly allowPrivate: boolean
}

/** The URL's syntax and scheme, without resolving it. */
export function parseWebhookUrl(raw: unknown, policy: UrlPolicy): URL | undefined {
  if (typeof raw !== 'string' || raw.length > 2048) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) return undefined
  // Credentials in the URL would be sent to the receiver and shown in the list.
  if (url.username || url.password || !url.hostname) return undefined
  return url
}

/** Resolves the host and picks an address, refusing the whole name if any address is internal. */
export async function resolveTarget(url: URL, policy: UrlPolicy): Promise<TargetCheck> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: { address: string; family: number }[]
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true })
  } catch (error) {
    return {
      ok: false,
      reason: `cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      refused: false,
    }
  }
  const first = addresses[0]
  if (!first) return { ok: false, reason: `cannot resolve ${host}`, refused: false }
  if (!policy.allowPrivate && addresses.some((a) => isForbiddenAddress(a.address))) {
    return { ok: false, reason: 'Webhook URL is not allowed.', refused: true }
  }
  return { ok: true, target: { url, address: first.address, family: first.family === 6 ? 6 : 4 } }
}
