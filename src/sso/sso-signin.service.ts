/**
 * Signing in through an account's identity provider. `start` finds the account by the email's
 * domain (or the invitation link), stores the flow (state, nonce, PKCE verifier or the SAML
 * request id) in the database and answers the IdP URL; the callback consumes the flow, lets the
 * adapter verify the IdP's answer, and admits the person exactly once: a member; an invitee, by
 * the acceptance use case; with a JIT role, anyone from the account's domains; nobody else.
 * Every sign-in and refusal is audited; the IdP's own error text only reaches the server log.
 */
import { randomBytes } from 'node:crypto'
import { domainsOf, findAccount } from '../accounts/account.repository.ts'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { belongsToDomains, domainOf, normalizeEmail } from '../invitations/email-rule.ts'
import type { AcceptanceService, InvitationRef } from '../invitations/acceptance.service.ts'
import { deleteInvitationByEmail } from '../invitations/invitation.repository.ts'
import { resolveRole } from '../roles/role-resolver.ts'
import type { SessionService } from '../sessions/session.service.ts'
import type { RequestMeta } from '../shared/actor.ts'
import { AppError } from '../shared/app-error.ts'
import { withoutControls } from '../shared/without-controls.ts'
import type { Deps } from '../shared/deps.ts'
import { addMember } from '../team/add-member.ts'
import { findMemberByEmail } from '../team/membership.repository.ts'
import { OidcFailure, oidcAdapter, type OidcSettings } from './oidc/oidc.adapter.ts'
import { SamlFailure, samlAdapter, type SamlSettings } from './saml/saml.adapter.ts'
import { SsoRefusal, ssoSignInError } from './sso.errors.ts'
import {
  consumeSsoFlow,
  deleteExpiredSsoFlows,
  findSsoConfig,
  insertSsoFlow,
  recordAssertion,
  ssoAccountsForDomain,
  type SsoConfigRow,
} from './sso.repository.ts'
import { serviceProviderValues } from './sso.urls.ts'
import { isRowId } from '../shared/row-id.ts'

/** A flow must come back within this long. */
const FLOW_TTL_MS = 10 * 60_000

export interface StartInput {
  email?: unknown
  accountId?: unknown
  signupInvitationCode?: unknown
  signupEmailId?: unknown
  /** An application's sign-in step to land back in once signed in (Sign in with Roster). */
  returnTo?: unknown
}

/** The only places a flow may return to: the provider's sign-in steps, on Roster's own origin. */
const RETURN_TO = /^\/oidc\/interaction\/[\w-]{1,100}$/

export type StartResult =
  { redirectUrl: string; state: string } | { accounts: { accountId: number; name: string }[] }

export interface SignedIn {
  token: string
  accountId: number
  /** Where the flow was asked to land (RETURN_TO); undefined: Roster's own page. */
  returnTo: string | undefined
}

type Flow = NonNullable<Awaited<ReturnType<typeof consumeSsoFlow>>>

export function ssoSignInService(
  deps: Deps,
  acceptance: AcceptanceService,
  sessions: SessionService,
  adapters = { oidc: oidcAdapter, saml: samlAdapter },
) {
  const { db } = deps.database
  const { publicUrl } = deps.config

  const oidcSettings = (c: SsoConfigRow): OidcSettings => ({
    issuer: c.oidc_issuer ?? '',
    clientId: c.oidc_client_id ?? '',
    clientSecret: c.oidc_client_secret ?? '',
    scopes: c.oidc_scopes ? c.oidc_scopes.split(' ') : [],
  })
  const samlSettings = (c: SsoConfigRow): SamlSettings => {
    const sp = serviceProviderValues(publicUrl, c.account_id)
    return {
      idpEntityId: c.saml_entity_id ?? '',
      ssoUrl: c.saml_sso_url ?? '',
      certificate: c.saml_certificate ?? '',
      spEntityId: sp.spEntityId,
      acsUrl: sp.acsUrl,
    }
  }

  /**
   * Records a refusal against the account (when known) and throws it; with the application's
   * sign-in step the flow came from, if any (SsoRefusal).
   */
  async function refused(
    accountId: number | undefined,
    error: unknown,
    meta: RequestMeta,
    email?: string,
    returnTo?: string | null,
  ): Promise<never> {
    const code = error instanceof AppError ? error.code : 'INTERNAL'
    if (accountId !== undefined && error instanceof AppError) {
      await db.transaction().execute((trx) =>
        audit(trx, meta, {
          accountId,
          action: 'sso.refused',
          target: email ?? null,
          details: { reason: code },
          now: deps.clock(),
        }),
      )
    }
    throw returnTo && error instanceof AppError ? new SsoRefusal(error, returnTo) : error
  }

  /** Who may enter, in order: member, invitee, JIT; the session is an `sso` one. */
  async function admit(
    flow: Flow,
    config: SsoConfigRow,
    identity: { email: string; name?: string | undefined },
    meta: RequestMeta,
  ) {
    const accountId = flow.account_id
    const { email } = identity
    if (!belongsToDomains(email, await domainsOf(db, accountId))) throw ssoSignInError('SSO_WRONG_DOMAIN')
    const name = identity.name ? withoutControls(identity.name).slice(0, 200) || undefined : undefined

    const asMember = await inAccountTransaction(deps, accountId, async (trx) => {
      const member = await findMemberByEmail(trx, accountId, email)
      if (!member) return undefined
      // A suspended member (SCIM) has no access: the identity provider does not restore it.
      if (member.suspendedAt !== null) throw ssoSignInError('SSO_NOT_INVITED')
      const now = deps.clock()
      const token = await sessions.open(trx, member.userId, accountId, now, { meta, method: 'sso' })
      await audit(trx, meta, { accountId, action: 'sso.login', target: email, userId: member.userId, now })
      return token
    })
    if (asMember) return asMember

    const ref: InvitationRef | undefined = flow.invitation_code
      ? { signupInvitationCode: flow.invitation_code, signupEmailId: flow.invitation_email }
      : undefined
    const invited = await acceptance
      .acceptVerified({ accountId, email, name, ref }, meta)
      .catch((error: unknown) => {
        // With a JIT role anyone from the domains joins: an invitation of theirs that expired is
        // no reason to refuse them (an invitation link they follow still is checked as such).
        if (config.jit_role && !ref && error instanceof AppError && error.code === 'INVITATION_EXPIRED')
          return undefined
        throw error
      })
    if (invited) {
      await db.transaction().execute((trx) =>
        audit(trx, meta, {
          accountId,
          action: 'sso.login',
          target: email,
          details: { invitation: true },
          userId: invited.accepted.userId,
          now: deps.clock(),
        }),
      )
      return invited.token
    }

    if (config.jit_role) {
      return inAccountTransaction(deps, accountId, async (trx) => {
        const role = await resolveRole(trx, accountId, config.jit_role)
        if (!role) throw ssoSignInError('SSO_NOT_INVITED')
        const now = deps.clock()
        const existing = await findMemberByEmail(trx, accountId, email)
        // The expired invitation, if any, is over: the person is a member now.
        if (!existing) await deleteInvitationByEmail(trx, accountId, email)
        const userId =
          existing?.userId ??
          (
            await addMember(trx, meta, {
              accountId,
              email,
              name: name ?? email.slice(0, email.indexOf('@')),
              role: role.name,
              now,
              via: 'sso_jit',
            })
          ).userId
        const token = await sessions.open(trx, userId, accountId, now, { meta, method: 'sso' })
        await audit(trx, meta, {
          accountId,
          action: 'sso.login',
          target: email,
          details: { jitRole: role.name },
          userId,
          now,
        })
        return token
      })
    }
    throw ssoSignInError('SSO_NOT_INVITED')
  }

  function checkedEmail(raw: string | undefined, verified: boolean | undefined): string {
    const email = normalizeEmail(raw)
    if (!email || verified === false) throw ssoSignInError('SSO_NO_EMAIL')
    return email
  }

  return {
    async start(input: StartInput, meta: RequestMeta): Promise<StartResult> {
      const returnTo = input.returnTo === undefined || input.returnTo === '' ? undefined : input.returnTo
      if (returnTo !== undefined && (typeof returnTo !== 'string' || !RETURN_TO.test(returnTo)))
        throw ssoSignInError('SSO_INVALID_RETURN')
      let accountId: number
      let invitation: { code: string; email: string } | undefined
      if (input.signupInvitationCode !== undefined && input.signupInvitationCode !== '') {
        // From the invitation link: every check of the link first, then that account's IdP.
        const of = await acceptance.accountOf({
          signupInvitationCode: input.signupInvitationCode,
          signupEmailId: input.signupEmailId,
        })
        accountId = of.accountId
        invitation = { code: String(input.signupInvitationCode), email: of.email }
        if (!(await findSsoConfig(db, accountId))) throw ssoSignInError('SSO_NOT_AVAILABLE')
      } else {
        const email = normalizeEmail(input.email)
        if (!email) throw ssoSignInError('SSO_INVALID_EMAIL')
        const candidates = await ssoAccountsForDomain(db, domainOf(email))
        if (candidates.length === 0) throw ssoSignInError('SSO_NOT_AVAILABLE')
        const chosen = candidates.find((c) => c.accountId === Number(input.accountId))
        if (!chosen && candidates.length > 1) return { accounts: candidates }
        accountId = (chosen ?? candidates[0]!).accountId
      }
      const config = await findSsoConfig(db, accountId)
      if (!config) throw ssoSignInError('SSO_NOT_AVAILABLE')
      const state = randomBytes(32).toString('base64url')
      const now = deps.clock()
      let redirectUrl: string
      let flow: { nonce?: string; code_verifier?: string; saml_request_id?: string }
      try {
        if (config.protocol === 'oidc') {
          const started = await adapters.oidc.start(
            oidcSettings(config),
            serviceProviderValues(publicUrl, accountId).redirectUri,
            state,
          )
          redirectUrl = started.url
          flow = { nonce: started.nonce, code_verifier: started.codeVerifier }
        } else {
          const started = await adapters.saml.start(samlSettings(config), state)
          redirectUrl = started.url
          flow = { saml_request_id: started.requestId }
        }
      } catch (error) {
        deps.log.warn({ err: error, accountId }, 'single sign-on could not start')
        // An issuer whose discovery document does not hold up is the configuration's to fix.
        const invalid = error instanceof OidcFailure && error.kind === 'invalid'
        return refused(
          accountId,
          ssoSignInError(invalid ? 'SSO_RESPONSE_INVALID' : 'SSO_IDP_UNAVAILABLE'),
          meta,
        )
      }
      await db.transaction().execute(async (trx) => {
        await deleteExpiredSsoFlows(trx, now)
        await insertSsoFlow(trx, {
          state,
          account_id: accountId,
          protocol: config.protocol,
          nonce: flow.nonce ?? null,
          code_verifier: flow.code_verifier ?? null,
          saml_request_id: flow.saml_request_id ?? null,
          invitation_code: invitation?.code ?? null,
          invitation_email: invitation?.email ?? null,
          return_to: returnTo ?? null,
          created_at: now,
          expires_at: now + FLOW_TTL_MS,
        })
      })
      return { redirectUrl, state }
    },

    /** The OIDC redirect back: `browserState` is the state this browser started (its cookie). */
    async finishOidc(
      callbackUrl: URL,
      browserState: string | undefined,
      meta: RequestMeta,
    ): Promise<SignedIn> {
      const state = callbackUrl.searchParams.get('state') ?? ''
      const flow =
        state.length > 0 && state.length <= 64 ? await consumeSsoFlow(db, state, deps.clock()) : undefined
      if (!flow || flow.protocol !== 'oidc') throw ssoSignInError('SSO_FLOW_INVALID')
      let email: string | undefined
      try {
        // Login CSRF: the answer must come back to the browser that asked.
        if (browserState !== state) throw ssoSignInError('SSO_FLOW_INVALID')
        const config = await findSsoConfig(db, flow.account_id)
        if (!config || config.protocol !== 'oidc') throw ssoSignInError('SSO_NOT_AVAILABLE')
        const identity = await adapters.oidc
          .finish(oidcSettings(config), callbackUrl, {
            state,
            nonce: flow.nonce ?? '',
            codeVerifier: flow.code_verifier ?? '',
          })
          .catch((error: unknown) => {
            deps.log.warn({ err: error, accountId: flow.account_id }, 'OIDC sign-in refused')
            const kind = error instanceof OidcFailure ? error.kind : 'invalid'
            throw ssoSignInError(
              kind === 'unavailable'
                ? 'SSO_IDP_UNAVAILABLE'
                : kind === 'refused'
                  ? 'SSO_IDP_REFUSED'
                  : 'SSO_RESPONSE_INVALID',
            )
          })
        email = identity.email
        const verified = checkedEmail(identity.email, identity.emailVerified)
        email = verified
        return {
          token: await admit(flow, config, { email: verified, name: identity.name }, meta),
          accountId: flow.account_id,
          returnTo: flow.return_to ?? undefined,
        }
      } catch (error) {
        return refused(flow.account_id, error, meta, email, flow.return_to)
      }
    },

    /** The SAML POST to the account's ACS. */
    async finishSaml(
      accountId: number,
      body: { SAMLResponse?: unknown; RelayState?: unknown },
      meta: RequestMeta,
    ): Promise<SignedIn> {
      const config = isRowId(accountId) ? await findSsoConfig(db, accountId) : undefined
      if (!config || config.protocol !== 'saml') throw ssoSignInError('SSO_NOT_AVAILABLE')
      let email: string | undefined
      let returnTo: string | null = null
      try {
        const response = typeof body.SAMLResponse === 'string' ? body.SAMLResponse : ''
        const state =
          typeof body.RelayState === 'string' && body.RelayState.length <= 64 ? body.RelayState : ''
        if (!response) throw ssoSignInError('SSO_RESPONSE_INVALID')
        const now = deps.clock()
        const flow = state ? await consumeSsoFlow(db, state, now) : undefined
        const ours = flow && flow.account_id === accountId && flow.protocol === 'saml' ? flow : undefined
        returnTo = ours?.return_to ?? null
        // Verified even without a flow, so a replayed assertion is named as such.
        const identity = await adapters.saml
          .finish(samlSettings(config), response, ours?.saml_request_id ?? null, now)
          .catch((error: unknown) => {
            deps.log.warn({ err: error, accountId }, 'SAML sign-in refused')
            throw ssoSignInError(
              error instanceof SamlFailure && error.kind === 'refused'
                ? 'SSO_IDP_REFUSED'
                : 'SSO_RESPONSE_INVALID',
            )
          })
        const fresh = await recordAssertion(db, {
          accountId,
          assertionId: identity.assertionId,
          expiresAt: identity.expiresAt,
          now,
        })
        if (!fresh) throw ssoSignInError('SSO_REPLAYED')
        if (!ours) throw ssoSignInError('SSO_FLOW_INVALID')
        email = identity.email
        const verified = checkedEmail(identity.email, undefined)
        email = verified
        const token = await admit(ours, config, { email: verified }, meta)
        return { token, accountId, returnTo: ours.return_to ?? undefined }
      } catch (error) {
        return refused(accountId, error, meta, email, returnTo)
      }
    },

    /** Roster's SP metadata for this account's IdP; undefined when there is no such account. */
    async metadata(accountId: number): Promise<string | undefined> {
      if (!(await findAccount(db, accountId))) return undefined
      const sp = serviceProviderValues(publicUrl, accountId)
      return adapters.saml.metadata({ spEntityId: sp.spEntityId, acsUrl: sp.acsUrl })
    },
  }
}

export type SsoSignInService = ReturnType<typeof ssoSignInService>
