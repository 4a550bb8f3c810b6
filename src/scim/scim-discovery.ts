/** ServiceProviderConfig, ResourceTypes and Schemas (RFC 7643 §5–7): what Roster's SCIM offers. */
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './scim-user.resource.ts'
import { GROUP_SCHEMA } from './scim-group.resource.ts'

export const MAX_RESULTS = 200
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://github.com/roster/roster#provisioning-with-okta-or-entra-id',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A per-account SCIM token from the Provisioning page.',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  }
}

export function resourceTypes(baseUrl: string) {
  return [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A member of the account',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'A role of the account',
      schema: GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ]
}

const attr = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
})

export function schemas(baseUrl: string) {
  const sub = (name: string) => attr(name, 'string')
  return [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: USER_SCHEMA,
      name: 'User',
      description: 'A member of the account; userName is the email.',
      attributes: [
        attr('userName', 'string', { required: true, uniqueness: 'server', mutability: 'immutable' }),
        attr('externalId', 'string', { caseExact: true }),
        attr('name', 'complex', {
          subAttributes: [
            sub('givenName'),
            sub('familyName'),
            attr('formatted', 'string', { mutability: 'readOnly' }),
          ],
        }),
        attr('displayName', 'string'),
        attr('active', 'boolean'),
        attr('emails', 'complex', {
          multiValued: true,
          mutability: 'readOnly',
          subAttributes: [sub('value'), sub('type'), attr('primary', 'boolean')],
        }),
        attr('roles', 'complex', {
          multiValued: true,
          subAttributes: [sub('value'), sub('display'), attr('primary', 'boolean')],
        }),
        attr('groups', 'complex', {
          multiValued: true,
          mutability: 'readOnly',
          subAttributes: [sub('value'), sub('display'), attr('$ref', 'reference')],
        }),
      ],
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${USER_SCHEMA}` },
    },
    {
      // RFC 7643 §4.3, as User's ResourceType advertises it: accepted (Entra sends it), not kept.
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: ENTERPRISE_SCHEMA,
      name: 'EnterpriseUser',
      description: 'Enterprise User extension: accepted and ignored; Roster keeps none of it.',
      attributes: [
        ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map(sub),
        attr('manager', 'complex', {
          subAttributes: [sub('value'), attr('$ref', 'reference'), sub('displayName')],
        }),
      ],
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${ENTERPRISE_SCHEMA}` },
    },
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: GROUP_SCHEMA,
      name: 'Group',
      description: 'A role of the account; its members hold that role.',
      attributes: [
        attr('displayName', 'string', { required: true, uniqueness: 'server', mutability: 'readOnly' }),
        attr('members', 'complex', {
          multiValued: true,
          subAttributes: [sub('value'), sub('display'), attr('$ref', 'reference')],
        }),
      ],
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${GROUP_SCHEMA}` },
    },
  ]
}

export function listResponse(resources: unknown[], total: number, startIndex: number) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  }
}
