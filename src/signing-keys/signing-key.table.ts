export interface SigningKeyTable {
  generation: number
  kid: string
  /** base64url of 32 random bytes (HS256). */
  secret: string
  created_at: number
}
