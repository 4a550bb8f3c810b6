/**
 * Member search as index seeks. listTeam's rule (team-listing.repository.ts `matches`) finds a
 * member when the search text starts their login, their lower-cased name, or the part of that
 * name after any word separator (WORD_SEPARATORS). Each of those starting points is stored as a
 * term of member_search_terms, so a search is a range of that table's (account_id, term) key: the
 * terms starting with the text.
 */

/**
 * What ends a word of a name, so that the next character starts one: spaces (also no-break),
 * hyphens (ASCII, U+2010, the no-break U+2011), apostrophes (ASCII and U+2019, as phones type
 * it), the period of initials and an opening parenthesis ("Robert (Bob) Marley"). A fixed list,
 * not "anything but a letter or digit": both engines must apply the same rule, and PostgreSQL's
 * character classes depend on the database's locale. Each is one UTF-16 unit and unchanged by
 * lower-casing. Docs: README "Large teams".
 */
export const WORD_SEPARATORS: readonly string[] = [
  ' ',
  '\u00a0',
  '-',
  '\u2010',
  '\u2011',
  "'",
  '\u2019',
  '.',
  '(',
]

/**
 * Characters of a term that are stored (names run to 200): a search longer than this seeks with
 * its first TERM_CHARS and the full rule then decides, so the index only narrows the candidates.
 */
export const TERM_CHARS = 64

const cut = (text: string) => Array.from(text).slice(0, TERM_CHARS).join('')

/**
 * A member's terms: the login, the lower-cased name, and that name from the character after each
 * word separator on. The name is lowered by the database (db/engine.ts `unicodeLower`), as the
 * rule does; the login is kept as it is, as the rule compares it (logins are emails stored
 * lower-cased).
 */
export function searchTerms(login: string, loweredName: string): string[] {
  const terms = new Set([cut(login), cut(loweredName)])
  for (let at = 0; at < loweredName.length; at++)
    if (WORD_SEPARATORS.includes(loweredName[at]!)) terms.add(cut(loweredName.slice(at + 1)))
  terms.delete('')
  return [...terms]
}

export interface TermRange {
  from: string
  /** Excluded; absent when no string bounds the range (the text is all U+10FFFF). */
  to: string | undefined
}

/**
 * The terms that start with `search` are exactly those in [from, to): `to` is the text with its
 * last character raised by one code point. Both engines compare these bytewise (UTF-8, whose byte
 * order is code point order: SQLite's BINARY, PostgreSQL's "C"), so no LIKE and no escaping.
 */
export function termRange(search: string): TermRange {
  // A lone surrogate reaches the database as U+FFFD (UTF-8 cannot hold it): bound what it will see.
  const from = cut(search.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'))
  const chars = Array.from(from)
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!
    if (last < 0x10ffff) {
      // Surrogate code points are not characters: the one after U+D7FF is U+E000.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1
      return { from, to: chars.join('') + String.fromCodePoint(next) }
    }
  }
  return { from, to: undefined }
}
