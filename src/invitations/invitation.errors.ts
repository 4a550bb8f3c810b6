import { catalogue } from '../shared/app-error.ts'

/** Spec §4, in the order the checks run. */
export const invitationError = catalogue({
  INVALID_EMAIL: 'Invalid email',
  USER_EXISTS: 'User already exists',
  DOMAIN_NOT_ALLOWED: 'Email must belong to same organisation',
  INVALID_ROLE: 'Invalid role',
  ROLE_NOT_ALLOWED: 'User not allowed to invite for this role',
  // 6. INVALID_WEBSITE_HOST is common (shared/errors.ts): resetUserPassword's links check it too.
  // Not one of §4's checks, so it runs after them: the limit of every other person's name.
  INVALID_NAME: 'Names must be at most 200 characters.',
})

/** Spec §7: opening or accepting an invitation link. */
export const acceptanceError = catalogue({
  // Unknown, used, cancelled or replaced codes, and codes that do not verify, all look alike.
  INVITATION_NOT_FOUND: 'Please ask admin to invite you!',
  INVITATION_WRONG_USER: "This invitation doesn't belong to you!",
  INVITATION_EXPIRED: 'This invitation has expired.',
  WRONG_PASSWORD: 'Incorrect password. Sign in with the password of your existing Roster user.',
  INVALID_NAME: 'Names must be 1 to 200 characters.',
  ALREADY_MEMBER: 'You are already a member of this account.',
  INVITATION_ABOVE_INVITER:
    'This invitation is for a role its sender may no longer grant. Please ask admin to invite you again.',
})

/** inviteUsersBulk's own per-row refusal (every other row error is one of §4's). */
export const bulkInvitationError = catalogue({
  DUPLICATE_IN_BATCH: 'This email appears earlier in the same batch',
})
