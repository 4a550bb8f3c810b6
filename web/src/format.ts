/** Dates as people read them, in their own locale and time zone. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatDate(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date)
}

/** Roles of invitations arrive as "Invitation sent for ROLE". */
export function invitedRole(role: string): string {
  return role.replace(/^Invitation sent for /, '')
}
