/**
 * Inviting by email (spec §4): checks in the spec's order, then one transaction stores the
 * invitation and its email in the outbox together; the outbox worker delivers it afterwards.
 */
import { withoutControls } from '../shared/without-controls.ts'
import { randomBytes } from 'node:crypto'
import { assertActorMay } from '../auth/actor-check.ts'
import { domainsOf } from '../accounts/account.repository.ts'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { resolveRole } from '../roles/role-resolver.ts'
import { isWithin } from '../roles/role.ts'
import type { RequestContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import type { SigningKeys } from '../signing-keys/signing-key.service.ts'
import { findMemberByEmail } from '../team/membership.repository.ts'
import { invitationMessage } from '../mail/invitation-message.ts'
import { insertMail, supersedePendingMail } from '../mail/mail.repository.ts'
import { belongsToDomains, normalizeEmail } from './email-rule.ts'
import { invitationError } from './invitation.errors.ts'
import { assertWithinInviteLimits } from './invite-limits.ts'
import { hasInvitation, invitationSenders, upsertInvitation } from './invitation.repository.ts'
import { signInviteToken } from './invite-token.ts'

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

/** The origin for the link: an allowed `websiteHostName`, else the configured public URL. */
function linkOrigin(deps: Deps, websiteHostName: unknown): string | undefined {
  if (websiteHostName === undefined || websiteHostName === null || websiteHostName === '')
    return deps.config.publicUrl
  if (typeof websiteHostName !== 'string' || websiteHostName.length > 2048) return undefined
  try {
    const origin = new URL(websiteHostName.trim()).origin
    return deps.config.allowedOrigins.includes(origin) ? origin : undefined
  } catch {
    return undefined
  }
}

export function inviteLink(origin: string, code: string, email: string): string {
  return `${origin}/addUserToAccount?signupInvitationCode=${code}&signupEmailId=${encodeURIComponent(email)}`
}

function cleanName(input: unknown): string | null {
  if (typeof input !== 'string') return null
  // Names end up in email headers and pages: no control characters, bounded length.
  const name = withoutControls(input).slice(0, 200)
  return name === '' ? null : name
}

/** `onQueued` runs after commit, to deliver the new message without waiting for the next poll. */
export function invitationService(deps: Deps, keys: SigningKeys, onQueued: () => void = () => {}) {
  return {
    async invite(ctx: RequestContext, input: InviteInput): Promise<InviteResult> {
      const { actor } = ctx
      const email = normalizeEmail(input.inviteeEmail)
      if (!email) throw invitationError('INVALID_EMAIL')
      const now = deps.clock()
      const tokenId = randomBytes(16).toString('base64url')
      const result = await inAccountTransaction(deps, actor.accountId, async (trx) => {
        const actorBase = await assertActorMay(trx, actor, 'invitations:create')
        if (await findMemberByEmail(trx, actor.accountId, email)) throw invitationError('USER_EXISTS')
        if (!belongsToDomains(email, await domainsOf(trx, actor.accountId)))
          throw invitationError('DOMAIN_NOT_ALLOWED')
        const role = await resolveRole(trx, actor.accountId, input.inviteeRole)
        if (!role) throw invitationError('INVALID_ROLE')
        if (!isWithin(actorBase, role.baseRole)) throw invitationError('ROLE_NOT_ALLOWED')
        const origin = linkOrigin(deps, input.websiteHostName)
        if (!origin) throw invitationError('INVALID_WEBSITE_HOST')
        await assertWithinInviteLimits(trx, deps.config, actor, email, now)
        const replacing = await hasInvitation(trx, actor.accountId, email)
        const inviteeName = cleanName(input.inviteeName)
        const expiresAt = now + deps.config.inviteTtlSeconds * 1000
        await upsertInvitation(trx, {
          accountId: actor.accountId,
          email,
          name: inviteeName,
          role: role.name,
          inviterId: actor.userId,
          tokenId,
          expiresAt,
          now,
        })
        const code = await signInviteToken(keys, { email, tokenId }, now, deps.config.inviteTtlSeconds)
        const link = inviteLink(origin, code, email)
        const senders = await invitationSenders(trx, actor.accountId, actor.userId)
        const message = invitationMessage({
          inviterName: senders?.inviterName ?? actor.email,
          inviterEmail: actor.email,
          accountName: senders?.accountName ?? '',
          inviteeName,
          role: role.name,
          link,
          expiresAt,
        })
        // A re-invite supersedes the older, undelivered message: only the newest link is sent.
        // (Without an invitation row there is no such message: cancel, accept and removal
        // supersede theirs.)
        if (replacing) await supersedePendingMail(trx, actor.accountId, email)
        await insertMail(trx, {
          accountId: actor.accountId,
          kind: 'invitation',
          tokenId,
          recipient: email,
          ...message,
          now,
        })
        await audit(trx, ctx, {
          accountId: actor.accountId,
          action: replacing ? 'invitation.replace' : 'invitation.create',
          target: email,
          details: { role: role.name },
          now,
        })
        return { finalInviteCode: link, inviteeRole: role.name }
      })
      onQueued()
      return result
    },
  }
}

export type InvitationService = ReturnType<typeof invitationService>
