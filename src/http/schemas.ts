/** Schemas shared by every route: the error body and the security requirement. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: "Akto's error shape, plus a stable machine code.",
  properties: {
    actionErrors: { type: 'array', items: { type: 'string' } },
    code: { type: 'string' },
  },
  required: ['actionErrors', 'code'],
  example: { actionErrors: ['Invalid email'], code: 'INVALID_EMAIL' },
} as const

const errorRef = { $ref: 'Error#' } as const

/** Responses every authenticated route may give besides its success. */
export const authErrors = {
  400: errorRef,
  401: errorRef,
  403: errorRef,
  413: errorRef,
  415: errorRef,
  422: errorRef,
  429: errorRef,
  503: errorRef,
} as const

export const security: { [scheme: string]: string[] }[] = [{ apiKey: [] }, { session: [] }]

/** The hierarchy array shape (getRoleHierarchy, removeUser, makeAdmin). */
export const hierarchySchema = {
  type: 'array',
  items: { type: 'string' },
  example: ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'],
} as const
