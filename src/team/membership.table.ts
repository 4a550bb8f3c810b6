export interface MembershipTable {
  account_id: number
  user_id: number
  /** A built-in role name or the name of one of the account's custom roles. */
  role: string
  created_at: number
  /** The member's email, copied from users (it never changes): the listing's sort and search key. */
  login: string
}
