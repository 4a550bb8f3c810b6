/** The requests each system is loaded with, and how a correct answer looks. */
import type { LoadSpec } from '../lib/load.ts'

const json = { 'content-type': 'application/json' }

export function rosterList(apiKey: string): LoadSpec {
  return { method: 'POST', path: '/api/getTeamData', headers: { ...json, 'x-api-key': apiKey }, body: '{}' }
}

export function ceilingList(): LoadSpec {
  return { method: 'POST', path: '/api/getTeamData', headers: json, body: '{}' }
}

export function betterAuthList(token: string, organizationId: string): LoadSpec {
  return {
    method: 'GET',
    path: `/api/auth/organization/list-members?organizationId=${encodeURIComponent(organizationId)}`,
    headers: { authorization: `Bearer ${token}` },
  }
}

let sequence = 0
/** A distinct email on every call, across rounds and systems. */
const nextEmail = (prefix: string, domain: string) => `${prefix}${process.pid}x${++sequence}@${domain}`

export function rosterInvite(apiKey: string, domain: string): LoadSpec {
  return {
    method: 'POST',
    path: '/api/inviteUsers',
    headers: { ...json, 'x-api-key': apiKey },
    body: () => JSON.stringify({ inviteeEmail: nextEmail('new', domain), inviteeRole: 'DEVELOPER' }),
  }
}

export function betterAuthInvite(token: string, organizationId: string): LoadSpec {
  return {
    method: 'POST',
    path: '/api/auth/organization/invite-member',
    headers: { ...json, authorization: `Bearer ${token}` },
    body: () => JSON.stringify({ email: nextEmail('new', 'acme.com'), role: 'member', organizationId }),
  }
}

export const isArrayOf = (n: number) => (j: unknown) => Array.isArray(j) && j.length === n
export const hasMembers = (n: number) => (j: unknown) =>
  typeof j === 'object' &&
  j !== null &&
  Array.isArray((j as { members?: unknown }).members) &&
  (j as { members: unknown[] }).members.length === n
export const isRosterInvite = (j: unknown) =>
  typeof j === 'object' && j !== null && typeof (j as Record<string, unknown>).finalInviteCode === 'string'
export const isBetterAuthInvite = (j: unknown) =>
  typeof j === 'object' && j !== null && typeof (j as Record<string, unknown>).id === 'string'

/** listTeam's first page (50 members), or the first page of a search. */
export function rosterListTeam(apiKey: string, search?: string): LoadSpec {
  return {
    method: 'POST',
    path: '/api/listTeam',
    headers: { ...json, 'x-api-key': apiKey },
    body: JSON.stringify(search === undefined ? {} : { search }),
  }
}

/** `rows` distinct invitations in one inviteUsersBulk body. */
export function rosterBulkBody(domain: string, rows: number): string {
  return JSON.stringify({
    invitations: Array.from({ length: rows }, () => ({
      inviteeEmail: nextEmail('bulk', domain),
      inviteeRole: 'DEVELOPER',
    })),
  })
}

export const isListPage = (n: number) => (j: unknown) =>
  typeof j === 'object' &&
  j !== null &&
  Array.isArray((j as { items?: unknown }).items) &&
  (j as { items: unknown[] }).items.length === n
