/**
 * Schema step on SQLite: staff roles and e-mail. Accounts that exist when it
 * runs were made before roles, with full powers, so they become `admin`;
 * every account made afterwards names its roles.
 */
export const SCHEMA_STAFF_ROLES = `
  ALTER TABLE staff ADD COLUMN roles TEXT NOT NULL DEFAULT 'admin';
  ALTER TABLE staff ADD COLUMN email TEXT;
`;
