/**
 * The provider's login/consent step, answered with Roster's own session: a signed-in member of
 * the application's account goes straight back to the application (first-party: no consent
 * screen); anyone not signed in goes to Roster's sign-in page, which returns here; a person who
 * is not a member gets `access_denied` at the application's redirect URI, and so does a member
 * whose session the account's two-factor policy holds at enrolment (the API answers it
 * MFA_ENROLMENT_REQUIRED): an application must not be a way round it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type Provider from 'oidc-provider'
import type { InteractionResults } from 'oidc-provider'
import { mfaError } from '../mfa/mfa.errors.ts'
import { AppError } from '../shared/app-error.ts'
import { sessionTokenOf } from '../sessions/session.cookie.ts'
import type { SessionService } from '../sessions/session.service.ts'
import type { OidcService } from './oidc.service.ts'

interface Input {
  provider: Provider
  oidc: OidcService
  sessions: SessionService
  request: FastifyRequest<{ Params: { uid: string } }>
  reply: FastifyReply
}

export async function finishInteraction({ provider, oidc, sessions, request, reply }: Input) {
  const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => undefined)
  if (!details || details.uid !== request.params.uid) {
    return reply.status(400).header('cache-control', 'no-store').send({
      error: 'invalid_request',
      error_description: 'This sign-in request has expired or is unknown; start again from the application.',
    })
  }
  const token = sessionTokenOf(request)
  const actor = token ? await sessions.authenticate(token) : undefined
  if (!actor) return reply.redirect(`/login?return=${encodeURIComponent(`/oidc/interaction/${details.uid}`)}`)

  const clientId = String(details.params.client_id)
  const userId = String(actor.userId)
  const who = await oidc.identity(clientId, userId)
  // The session may be in another of the person's accounts: it must be one that may enter the
  // application's (an identity provider vouches for its own account only; `required` holds).
  const refused = who && (await sessions.assertMayEnter(actor, who.accountId).then(noRefusal, refusalOf))
  let result: InteractionResults
  if (!who) {
    result = {
      error: 'access_denied',
      error_description: "You are not a member of this application's account.",
    }
  } else if (refused) {
    result = { error: 'access_denied', error_description: refused }
  } else if (await sessions.enrolmentPendingIn(actor, who.accountId)) {
    result = {
      error: 'access_denied',
      error_description: mfaError.messages.MFA_ENROLMENT_REQUIRED,
    }
  } else {
    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId: userId, clientId })
    // First-party applications: whatever they asked for is granted.
    const scope = typeof details.params.scope === 'string' ? details.params.scope : 'openid'
    grant.addOIDCScope(scope)
    const resources = details.params.resource
    for (const resource of Array.isArray(resources) ? resources : resources ? [resources] : []) {
      grant.addResourceScope(String(resource), scope)
    }
    result = { login: { accountId: userId }, consent: { grantId: await grant.save() } }
  }
  const returnTo = await provider.interactionResult(request.raw, reply.raw, result, {
    mergeWithLastSubmission: false,
  })
  return reply.header('cache-control', 'no-store').redirect(returnTo)
}

const noRefusal = () => undefined

/** A refusal's message for the application; anything else is not a refusal and is thrown on. */
function refusalOf(error: unknown): string {
  if (error instanceof AppError) return error.message
  throw error
}
