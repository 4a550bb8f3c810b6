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
] as const
