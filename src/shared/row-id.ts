/**
 * Ids from requests, checked before they reach SQL. PostgreSQL's `serial` ids are 32-bit, and
 * PostgreSQL refuses (an error, not an empty result) to compare such a column with a number
 * beyond that range: a larger number names no row on either engine, so it is answered as no row.
 */
export const MAX_ROW_ID = 2_147_483_647

export function isRowId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ROW_ID
}
