/**
 * An id list for `where id in (…)`, padded by repeating its last id to the next power of two.
 * SQLite statements are prepared and kept by their text (engine.ts, a bounded cache cleared
 * whole when full), and PostgreSQL plans each text anew: a list's length would otherwise make a
 * new statement for every count. The outbox workers' claims and settlements name up to
 * hundreds of rows at a time; repeating an id changes nothing an `in` list selects.
 */
export function idList(ids: readonly number[]): readonly number[] {
  let size = 1
  while (size < ids.length) size *= 2
  const last = ids[ids.length - 1]
  if (size === ids.length || last === undefined) return ids
  return [...ids, ...Array<number>(size - ids.length).fill(last)]
}
