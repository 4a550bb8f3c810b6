/** The typed client's types from an OpenAPI document (openapi-typescript), shared by the generator and the sync test. */
import openapiTS, { astToString } from 'openapi-typescript'

export const CLIENT_TYPES_PATH = 'clients/typescript/src/schema.ts'

const HEADER =
  "// Generated from Roster's /openapi.json by `npm run client:generate`; do not edit.\n"

export async function clientTypes(document: unknown): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true })
  return HEADER + astToString(ast)
}
