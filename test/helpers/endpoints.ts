/** The authenticated /api/* endpoints of spec §3–6 plus the audit log: what hygiene and fuzz tests sweep. */
export const API_ENDPOINTS = [
  '/api/getTeamData',
  '/api/getRoleHierarchy',
  '/api/inviteUsers',
  '/api/removeUser',
  '/api/makeAdmin',
  '/api/getCustomRoles',
  '/api/createCustomRole',
  '/api/deleteCustomRole',
  '/api/addApiToken',
  '/api/fetchApiTokens',
  '/api/deleteApiToken',
  '/api/getAuditLogs',
  // Akto's dashboard calls (akto-compat.md §8).
  '/api/updateCustomRole',
  '/api/fetchApiAuditLogsFromDb',
  '/api/fetchUserLastLoginTs',
  '/api/resetUserPassword',
] as const
