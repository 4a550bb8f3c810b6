/**
 * Configuring an account's single sign-on (ADMIN): read, set, remove. Every door (the API, the
 * CLI, Akto's SSO settings calls) uses these use cases; the client secret is never returned.
 * `ctx` is null for the operator's CLI.
 */
import { createHash } from 'node:crypto'
import { domainsOf } from '../accounts/account.repository.ts'
import { assertActorMay } from '../auth/actor-check.ts'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { resolveRole } from '../roles/role-resolver.ts'
import type { RequestContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { findMemberByEmail } from '../team/membership.repository.ts'
import { validSsoConfig, type SsoConfigInput } from './sso-config.input.ts'
import { samlConfigTypeOf, type SamlConfigType } from './saml-config-type.ts'
import { ssoConfigError } from './sso.errors.ts'
import { deleteSsoConfig, findSsoConfig, upsertSsoConfig, type SsoConfigRow } from './sso.repository.ts'
import { serviceProviderValues, type ServiceProviderValues } from './sso.urls.ts'

export interface SsoConfigView extends ServiceProviderValues {
  configured: boolean
  protocol: 'oidc' | 'saml' | null
  /** The account's domains: only addresses in them sign in through its IdP. */
  domains: string[]
  issuer: string | null
  clientId: string | null
  /** True when a client secret is stored (it is never shown). */
  hasClientSecret: boolean
  scopes: string[]
  samlEntityId: string | null
  samlSsoUrl: string | null
  /** SHA-256 fingerprint of the IdP's signing certificate, to compare with the IdP's. */
  samlCertificateFingerprint: string | null
  /** Which of Akto's SAML pages shows the configuration; null unless SAML. */
  samlConfigType: SamlConfigType | null
  required: boolean
  breakGlassEmail: string | null
  jitRole: string | null
}

export interface SetOptions {
  /** Refuse when a configuration exists (Akto's add calls: `A SSO Integration already exists.`). */
  onlyIfAbsent?: boolean
  /** The Akto page setting a SAML configuration (addSAMLSso's `configType`). */
  samlConfigType?: SamlConfigType
}

function fingerprint(pem: string | null): string | null {
  if (!pem) return null
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64')
  return (createHash('sha256').update(der).digest('hex').toUpperCase().match(/.{2}/g) ?? []).join(':')
}

export function ssoConfigService(deps: Deps) {
  const { db } = deps.database

  function view(accountId: number, domains: string[], row: SsoConfigRow | undefined): SsoConfigView {
    return {
      ...serviceProviderValues(deps.config.publicUrl, accountId),
      configured: row !== undefined,
      protocol: row?.protocol ?? null,
      domains,
      issuer: row?.oidc_issuer ?? null,
      clientId: row?.oidc_client_id ?? null,
      hasClientSecret: Boolean(row?.oidc_client_secret),
      scopes: row?.oidc_scopes ? row.oidc_scopes.split(' ') : [],
      samlEntityId: row?.saml_entity_id ?? null,
      samlSsoUrl: row?.saml_sso_url ?? null,
      samlCertificateFingerprint: fingerprint(row?.saml_certificate ?? null),
      samlConfigType:
        row?.protocol === 'saml' ? samlConfigTypeOf(row.saml_config_type, row.saml_sso_url) : null,
      required: Number(row?.required ?? 0) === 1,
      breakGlassEmail: row?.break_glass_email ?? null,
      jitRole: row?.jit_role ?? null,
    }
  }

  async function show(accountId: number): Promise<SsoConfigView> {
    const [row, domains] = await Promise.all([findSsoConfig(db, accountId), domainsOf(db, accountId)])
    return view(accountId, domains, row)
  }

  return {
    /** The configuration of the caller's account (or the operator's chosen one). */
    async get(ctx: RequestContext | null, accountId = ctx!.actor.accountId): Promise<SsoConfigView> {
      return show(accountId)
    },

    async set(
      ctx: RequestContext | null,
      input: SsoConfigInput,
      options: SetOptions = {},
      accountId = ctx!.actor.accountId,
    ): Promise<SsoConfigView> {
      const valid = validSsoConfig(input)
      await inAccountTransaction(deps, accountId, async (trx) => {
        if (ctx) await assertActorMay(trx, ctx.actor, 'sso:manage')
        const existing = await findSsoConfig(trx, accountId)
        if (existing && options.onlyIfAbsent) throw ssoConfigError('SSO_EXISTS')
        const jit = valid.jitRole === null ? null : await resolveRole(trx, accountId, valid.jitRole)
        if (valid.jitRole !== null && !jit) throw ssoConfigError('SSO_INVALID_JIT_ROLE')
        if (valid.breakGlassEmail !== null) {
          const member = await findMemberByEmail(trx, accountId, valid.breakGlassEmail)
          if (!member || member.baseRole !== 'ADMIN') throw ssoConfigError('SSO_INVALID_BREAK_GLASS')
        }
        const { idp } = valid
        let secret: string | null = null
        if (idp.protocol === 'oidc') {
          // An edit that leaves the secret empty keeps the stored one, for the same client only.
          const sameClient = existing?.oidc_issuer === idp.issuer && existing.oidc_client_id === idp.clientId
          secret = idp.clientSecret ?? (sameClient ? existing.oidc_client_secret : null)
          if (!secret) throw ssoConfigError('SSO_INVALID_CLIENT')
        }
        const now = deps.clock()
        await upsertSsoConfig(trx, {
          account_id: accountId,
          protocol: idp.protocol,
          oidc_issuer: idp.protocol === 'oidc' ? idp.issuer : null,
          oidc_client_id: idp.protocol === 'oidc' ? idp.clientId : null,
          oidc_client_secret: secret,
          oidc_scopes: idp.protocol === 'oidc' && idp.scopes.length ? idp.scopes.join(' ') : null,
          saml_entity_id: idp.protocol === 'saml' ? idp.entityId : null,
          saml_sso_url: idp.protocol === 'saml' ? idp.ssoUrl : null,
          saml_certificate: idp.protocol === 'saml' ? idp.certificate : null,
          saml_config_type: idp.protocol === 'saml' ? (options.samlConfigType ?? null) : null,
          required: valid.required ? 1 : 0,
          break_glass_email: valid.breakGlassEmail,
          jit_role: jit?.name ?? null,
          created_at: now,
          updated_at: now,
        })
        await audit(trx, ctx, {
          accountId,
          action: 'sso.configure',
          target: idp.protocol === 'oidc' ? idp.issuer : idp.entityId,
          details: {
            protocol: idp.protocol,
            required: valid.required,
            breakGlassEmail: valid.breakGlassEmail,
            jitRole: jit?.name ?? null,
            ...(idp.protocol === 'oidc'
              ? { clientId: idp.clientId, secretChanged: idp.clientSecret !== null }
              : {}),
          },
          now,
        })
      })
      return show(accountId)
    },

    /**
     * Removes the configuration; with `protocol` (and `samlConfigType`), only one of that protocol
     * (and Akto page): Akto's delete calls.
     */
    async remove(
      ctx: RequestContext | null,
      options: { protocol?: 'oidc' | 'saml'; samlConfigType?: SamlConfigType } = {},
      accountId = ctx!.actor.accountId,
    ) {
      await inAccountTransaction(deps, accountId, async (trx) => {
        if (ctx) await assertActorMay(trx, ctx.actor, 'sso:manage')
        const existing = await findSsoConfig(trx, accountId)
        const other =
          (options.protocol && existing?.protocol !== options.protocol) ||
          (options.samlConfigType &&
            samlConfigTypeOf(existing?.saml_config_type ?? null, existing?.saml_sso_url ?? null) !==
              options.samlConfigType)
        if (!existing || other) throw ssoConfigError('SSO_NOT_CONFIGURED')
        await deleteSsoConfig(trx, accountId)
        await audit(trx, ctx, {
          accountId,
          action: 'sso.remove',
          details: { protocol: existing.protocol },
          now: deps.clock(),
        })
      })
      return show(accountId)
    },
  }
}

export type SsoConfigService = ReturnType<typeof ssoConfigService>
