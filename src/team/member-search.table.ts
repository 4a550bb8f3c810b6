/** A member's search terms (see search-terms.ts); rows go with their membership (ON DELETE CASCADE). */
export interface MemberSearchTermTable {
  account_id: number
  user_id: number
  /** A login, a lower-cased name, or that name after a space; at most TERM_CHARS characters. */
  term: string
}
