/** The one row first-run setup leaves behind (id is always 1). */
export interface InstallationTable {
  id: number
  set_up_at: number
}
