/** A token bucket of the invitation flood limits (see invite-limits.ts). */
export interface InviteBucketTable {
  account_id: number
  /** `account`, `key:<id>`, `user:<id>` or `email:<address>`. */
  scope: string
  /** Epoch ms: the bucket is full again at this time (GCRA's theoretical arrival time). */
  tat: number
}
