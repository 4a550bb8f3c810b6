export interface CustomRoleTable {
  account_id: number
  /** Upper-case, never a built-in name. */
  name: string
  base_role: string
  /** 0 or 1 (portable boolean). */
  default_invite_role: number
  created_at: number
}
