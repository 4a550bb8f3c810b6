import { TOKEN_UTILITIES } from './token-utility.ts'

const apiToken = {
  type: 'object',
  description: 'An API key. `key` is present only in the answer to addApiToken.',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    keyPrefix: { type: 'string', description: 'The first characters of the key, to recognise it.' },
    utility: {
      type: 'string',
      enum: TOKEN_UTILITIES,
      description: "What the key is for on Akto's token pages (addApiToken's tokenUtility).",
    },
    username: { type: 'string', description: "The creator's email." },
    timestamp: { type: 'integer', description: 'Creation time, epoch seconds.' },
    lastUsedAt: { type: ['integer', 'null'], description: 'Epoch seconds, to the minute.' },
    key: { type: 'string' },
  },
  required: ['id', 'name', 'keyPrefix', 'utility', 'username', 'timestamp', 'lastUsedAt'],
} as const

export const tokenListResponse = {
  type: 'object',
  properties: { apiTokenList: { type: 'array', items: apiToken } },
  required: ['apiTokenList'],
  example: {
    apiTokenList: [
      {
        id: 3,
        name: 'ci',
        keyPrefix: 'rst_AbCdEf',
        utility: 'EXTERNAL_API',
        username: 'ada@acme.com',
        timestamp: 1795000000,
        lastUsedAt: null,
      },
    ],
  },
} as const

export const addTokenBody = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'A label, 1-100 characters (default "API key").' },
    tokenUtility: {
      type: 'string',
      enum: TOKEN_UTILITIES,
      description: "Akto's token page the key is for; EXTERNAL_API when absent. Answered as `utility`.",
    },
  },
  example: { name: 'ci', tokenUtility: 'CICD' },
} as const

export const deleteTokenBody = {
  type: 'object',
  properties: { apiTokenId: { type: ['integer', 'string'] } },
  example: { apiTokenId: 3 },
} as const

export const deleteTokenResponse = {
  type: 'object',
  properties: { apiTokenDeleted: { type: 'boolean' } },
  required: ['apiTokenDeleted'],
  example: { apiTokenDeleted: true },
} as const
