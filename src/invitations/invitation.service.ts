/**
 * Inviting by email (spec §4): checks in the spec's order, then one transaction stores the
 * invitation and its email in the outbox together; the outbox worker delivers it afterwards.
 * The transaction is one read sent with the account's lock and one batch of writes sent with the
 * commit, so that on PostgreSQL the lock is held across one round trip, not fifteen (operations.md).
 */
import { withoutControls } from '../shared/without-controls.ts'
import { assertMemberMay } from '../auth/actor-check.ts'
import { auditStatement } from '../audit/audit.service.ts'
import { memoryOf, type BatchMemory } from '../db/account-batches.ts'
import { inAccountReadThenWrite } from '../db/transaction.ts'
import { askedRole, resolveCustomRole } from '../roles/role-resolver.ts'
import { isWithin } from '../roles/role.ts'
import type { RequestContext } from '../shared/actor.ts'
import { commonError } from '../shared/errors.ts'
import { linkOrigin } from '../shared/link-origin.ts'
import type { Deps } from '../shared/deps.ts'
import type { SigningKeys } from '../signing-keys/signing-key.service.ts'
import { insertMailStatement, supersedePendingMailStatement } from '../mail/mail.repository.ts'
import { belongsToDomains, normalizeEmail } from './email-rule.ts'
import { invitationError } from './invitation.errors.ts'
import type { Three } from './invite-bucket.repository.ts'
import { inviteBucketScopes, takeInviteTokens } from './invite-limits.ts'
import { inviteContext, inviteContextQuery, upsertInvitationStatement } from './invitation.repository.ts'
import { signInviteToken } from './invite-token.ts'
import { timeOrderedId } from '../shared/random-id.ts'

export interface InviteInput {
  inviteeEmail?: unknown
  inviteeRole?: unknown
  inviteeName?: unknown
  websiteHostName?: unknown
}

export interface InviteResult {
  finalInviteCode: string
  inviteeRole: string
}

export function inviteLink(origin: string, code: string, email: string): string {
  return `${origin}/addUserToAccount?signupInvitationCode=${code}&signupEmailId=${encodeURIComponent(email)}`
}

/** The invitee's name for the email: optional, no control characters, at most 200 characters like every name. */
function cleanName(input: unknown): string | null {
  if (typeof input !== 'string') return null
  const name = withoutControls(input)
  if (name.length > 200) throw invitationError('INVALID_NAME')
  return name === '' ? null : name
}

/**
 * What the invitations before this one in a batch decided (db/account-batches.ts), which this
 * one's read, made before their writes, does not show: the buckets they moved on (the flood
 * limits stay exact within a batch) and the addresses they invited (a second invitation to one
 * of them replaces the first, and supersedes its email).
 */
interface EarlierInvitations {
  readonly tats: Map<string, number>
  readonly invited: Set<string>
}

const earlierInvitations = (memory: BatchMemory): EarlierInvitations =>
  memoryOf(memory, 'invitations', () => ({ tats: new Map(), invited: new Set() }))

/** `onQueued` runs after commit, to deliver the new message without waiting for the next poll. */
export function invitationService(deps: Deps, keys: SigningKeys, onQueued: () => void = () => {}) {
  return {
    async invite(ctx: RequestContext, input: InviteInput): Promise<InviteResult> {
      const { actor } = ctx
      const email = normalizeEmail(input.inviteeEmail)
      if (!email) throw invitationError('INVALID_EMAIL')
      const now = deps.clock()
      const tokenId = timeOrderedId(now, 16)
      // Signed before the lock is taken: it depends on nothing the transaction reads.
      const code = await signInviteToken(keys, { email, tokenId }, now, deps.config.inviteTtlSeconds)
      const asked = askedRole(input.inviteeRole)
      const scopes = inviteBucketScopes(actor, email)
      const read = inviteContextQuery(deps.database.db, {
        accountId: actor.accountId,
        actorId: actor.userId,
        email,
        customRole: asked?.kind === 'custom' ? asked.name : null,
        s1: scopes[0],
        s2: scopes[1],
        s3: scopes[2],
      })
      // One read sent with the lock, one batch of writes sent with the commit (inAccountReadThenWrite).
      const result = await inAccountReadThenWrite(deps, actor.accountId, read, (trx, row, memory) => {
        const known = inviteContext(row)
        const earlier = earlierInvitations(memory)
        // No account row: it was deleted, and its members with it.
        if (!known) throw commonError('UNAUTHENTICATED')
        // The checks, in the spec's order.
        const actorBase = assertMemberMay(known.actor, 'invitations:create')
        if (known.inviteeIsMember) throw invitationError('USER_EXISTS')
        if (!belongsToDomains(email, known.domains)) throw invitationError('DOMAIN_NOT_ALLOWED')
        const role =
          asked?.kind === 'custom' ? resolveCustomRole(asked.name, known.customRoleBase) : asked?.role
        if (!role) throw invitationError('INVALID_ROLE')
        if (!isWithin(actorBase, role.baseRole)) throw invitationError('ROLE_NOT_ALLOWED')
        const origin = linkOrigin(deps.config, input.websiteHostName)
        if (!origin) throw commonError('INVALID_WEBSITE_HOST')
        const inviteeName = cleanName(input.inviteeName)
        const stored = (i: 0 | 1 | 2) => earlier.tats.get(scopes[i]) ?? known.buckets[i]
        const buckets: Three<number | undefined> = [stored(0), stored(1), stored(2)]
        const tokens = takeInviteTokens(trx, deps.config, actor.accountId, scopes, buckets, now)
        const replacing = known.hasInvitation || earlier.invited.has(email)
        const expiresAt = now + deps.config.inviteTtlSeconds * 1000
        const link = inviteLink(origin, code, email)
        const writes = [
          ...tokens.writes,
          upsertInvitationStatement(trx, {
            accountId: actor.accountId,
            email,
            name: inviteeName,
            role: role.name,
            inviterId: actor.userId,
            tokenId,
            expiresAt,
            now,
          }),
          // A re-invite supersedes the older, undelivered message: only the newest link is sent.
          // (Without an invitation row there is no such message: cancel, accept and removal
          // supersede theirs.)
          ...(replacing ? [supersedePendingMailStatement(trx, actor.accountId, email)] : []),
          insertMailStatement(trx, {
            accountId: actor.accountId,
            tokenId,
            recipient: email,
            content: {
              kind: 'invitation',
              input: {
                inviterName: known.inviterName ?? actor.email,
                inviterEmail: actor.email,
                accountName: known.accountName,
                inviteeName,
                role: role.name,
                link,
                expiresAt,
              },
            },
            now,
          }),
          auditStatement(trx, ctx, {
            accountId: actor.accountId,
            action: replacing ? 'invitation.replace' : 'invitation.create',
            target: email,
            details: { role: role.name },
            now,
          }),
        ]
        // Remembered only now: nothing below can refuse this invitation.
        scopes.forEach((scope, i) => earlier.tats.set(scope, tokens.tats[i]!))
        earlier.invited.add(email)
        return { result: { finalInviteCode: link, inviteeRole: role.name }, writes }
      })
      onQueued()
      return result
    },
  }
}

export type InvitationService = ReturnType<typeof invitationService>
