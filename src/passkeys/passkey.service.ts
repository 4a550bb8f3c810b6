/**
 * Passkeys (WebAuthn) through @simplewebauthn/server: registering from the Security page and
 * signing in with a discoverable credential, user verification required. The relying party is
 * PUBLIC_URL: its host is the RP ID and its origin the only one accepted. Challenges are kept in
 * the database, used once, for 5 minutes. A sign-in with a passkey counts as a second factor.
 */
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { audit } from '../audit/audit.service.ts'
import type { Actor, RequestContext, RequestMeta } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { sessionError } from '../sessions/session.errors.ts'
import { markSessionMfa } from '../sessions/session.repository.ts'
import type { SessionService } from '../sessions/session.service.ts'
import { withoutControls } from '../shared/without-controls.ts'
import { findUserById } from '../users/user.repository.ts'
import { anyAccountRequiresMfa, hasConfirmedTotp } from '../mfa/mfa.repository.ts'
import { passkeyError } from './passkey.errors.ts'
import {
  consumeChallenge,
  deletePasskey,
  hasPasskey,
  findPasskeyByCredentialId,
  insertChallenge,
  insertPasskey,
  listPasskeys,
  recordPasskeyUse,
} from './passkey.repository.ts'
import { isRowId } from '../shared/row-id.ts'

const CHALLENGE_TTL_MS = 5 * 60_000

/** The challenge the browser signed, read from clientDataJSON (verification checks it again). */
function challengeOf(response: { response?: { clientDataJSON?: unknown } } | undefined): string | undefined {
  const encoded = response?.response?.clientDataJSON
  if (typeof encoded !== 'string' || encoded.length > 10_000) return undefined
  try {
    const data = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as { challenge?: unknown }
    return typeof data.challenge === 'string' && data.challenge.length <= 128 ? data.challenge : undefined
  } catch {
    return undefined
  }
}

/** Loaded on the first passkey call, not on every start. */
const webauthn = () => import('@simplewebauthn/server')

export function passkeyService(deps: Deps, sessions: SessionService) {
  const { db } = deps.database
  const origin = deps.config.publicUrl
  const rpID = new URL(origin).hostname

  function sessionOnly(actor: Actor) {
    if (actor.sessionId === null) throw sessionError('SESSION_ONLY')
    return actor.sessionId
  }

  return {
    async list(actor: Actor) {
      const rows = await listPasskeys(db, actor.userId)
      return {
        passkeys: rows.map((r) => ({
          id: r.id,
          name: r.name,
          createdAt: Number(r.created_at),
          lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
        })),
      }
    },

    async registrationOptions(actor: Actor) {
      sessionOnly(actor)
      const [existing, user] = await Promise.all([
        listPasskeys(db, actor.userId),
        findUserById(db, actor.userId),
      ])
      const options = await (
        await webauthn()
      ).generateRegistrationOptions({
        rpName: 'Roster',
        rpID,
        userName: actor.email,
        // What the authenticator shows beside the email when the person picks a passkey.
        userDisplayName: user?.name ?? actor.email,
        userID: new TextEncoder().encode(`roster:${actor.userId}`),
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({
          id: p.credential_id,
          transports: JSON.parse(p.transports) as AuthenticatorTransport[],
        })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      })
      const now = deps.clock()
      await insertChallenge(db, {
        challenge: options.challenge,
        purpose: 'register',
        userId: actor.userId,
        now,
        expiresAt: now + CHALLENGE_TTL_MS,
      })
      return options
    },

    async register(ctx: RequestContext, input: { name?: unknown; response?: unknown }) {
      const sessionId = sessionOnly(ctx.actor)
      const name = typeof input.name === 'string' ? withoutControls(input.name).trim() : ''
      if (name.length < 1 || name.length > 100) throw passkeyError('INVALID_PASSKEY_NAME')
      const response = input.response as RegistrationResponseJSON
      const challenge = challengeOf(response)
      const now = deps.clock()
      if (!challenge || !(await consumeChallenge(db, challenge, 'register', ctx.actor.userId, now)))
        throw passkeyError('PASSKEY_REGISTRATION_FAILED')
      const verification = await (
        await webauthn()
      )
        .verifyRegistrationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: true,
        })
        .catch(() => undefined)
      if (!verification?.verified) throw passkeyError('PASSKEY_REGISTRATION_FAILED')
      const { credential } = verification.registrationInfo
      if (await findPasskeyByCredentialId(db, credential.id))
        throw passkeyError('PASSKEY_REGISTRATION_FAILED')
      const id = await db.transaction().execute(async (trx) => {
        const inserted = await insertPasskey(trx, {
          userId: ctx.actor.userId,
          credentialId: credential.id,
          publicKey: Buffer.from(credential.publicKey).toString('base64url'),
          counter: credential.counter,
          transports: JSON.stringify(credential.transports ?? []),
          name,
          now,
        })
        // A strong authenticator now enrolled: this session has what the account policy asks.
        await markSessionMfa(trx, sessionId, now)
        await audit(trx, ctx, { accountId: ctx.actor.accountId, action: 'passkey.add', target: name, now })
        return inserted
      })
      return { id, name, createdAt: now, lastUsedAt: null }
    },

    async remove(ctx: RequestContext, idInput: unknown) {
      sessionOnly(ctx.actor)
      const id = isRowId(idInput) ? idInput : NaN
      await db.transaction().execute(async (trx) => {
        const name = Number.isNaN(id) ? undefined : await deletePasskey(trx, ctx.actor.userId, id)
        if (name === undefined) throw passkeyError('PASSKEY_NOT_FOUND')
        // As disableTotp: where an account requires a second factor, the user keeps one. The
        // refusal rolls the removal back.
        const { userId } = ctx.actor
        if (
          !(await hasPasskey(trx, userId)) &&
          !(await hasConfirmedTotp(trx, userId)) &&
          (await anyAccountRequiresMfa(trx, userId))
        )
          throw passkeyError('LAST_SECOND_FACTOR')
        // Named as passkey.add names it: the log reads "Removed the passkey Work laptop".
        await audit(trx, ctx, {
          accountId: ctx.actor.accountId,
          action: 'passkey.remove',
          target: name,
          details: { passkeyId: id },
          now: deps.clock(),
        })
      })
    },

    /** Options for "Sign in with a passkey": no credential named, the authenticator offers its own. */
    async loginOptions() {
      const options = await (
        await webauthn()
      ).generateAuthenticationOptions({
        rpID,
        userVerification: 'required',
        allowCredentials: [],
      })
      const now = deps.clock()
      await insertChallenge(db, {
        challenge: options.challenge,
        purpose: 'login',
        userId: null,
        now,
        expiresAt: now + CHALLENGE_TTL_MS,
      })
      return options
    },

    async login(input: { response?: unknown }, meta: RequestMeta) {
      const response = input.response as AuthenticationResponseJSON
      const challenge = challengeOf(response)
      const now = deps.clock()
      if (!challenge || !(await consumeChallenge(db, challenge, 'login', null, now)))
        throw passkeyError('PASSKEY_SIGN_IN_FAILED')
      const passkey =
        typeof response.id === 'string' ? await findPasskeyByCredentialId(db, response.id) : undefined
      if (!passkey) throw passkeyError('PASSKEY_SIGN_IN_FAILED')
      const counter = Number(passkey.counter)
      // Throws on a wrong origin or RP ID, a bad signature, no user verification, or a counter
      // that did not rise (a cloned authenticator replaying an old state).
      const verification = await (
        await webauthn()
      )
        .verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: true,
          credential: {
            id: passkey.credential_id,
            publicKey: new Uint8Array(Buffer.from(passkey.public_key, 'base64url')),
            counter,
            transports: JSON.parse(passkey.transports) as AuthenticatorTransport[],
          },
        })
        .catch((error: unknown) => {
          deps.log.info({ err: error, passkeyId: passkey.id }, 'passkey sign-in refused')
          return undefined
        })
      if (!verification?.verified) throw passkeyError('PASSKEY_SIGN_IN_FAILED')
      if (!(await recordPasskeyUse(db, passkey.id, counter, verification.authenticationInfo.newCounter, now)))
        throw passkeyError('PASSKEY_SIGN_IN_FAILED')
      const user = await findUserById(db, passkey.user_id)
      if (!user) throw passkeyError('PASSKEY_SIGN_IN_FAILED')
      return sessions.establish(user, meta, true)
    },
  }
}

export type PasskeyService = ReturnType<typeof passkeyService>
