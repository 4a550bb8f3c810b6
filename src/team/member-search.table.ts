/** A member's search terms (see search-terms.ts); deleted with the membership (by its repository) or the account (cascade). */
export interface MemberSearchTermTable {
  account_id: number
  user_id: number
  /** A login, a lower-cased name, or that name after a space; at most TERM_CHARS characters. */
  term: string
}
