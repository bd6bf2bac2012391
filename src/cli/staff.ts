/**
 * `npm run staff -- add <username> [--role <role>]... [--email <address>]`:
 * creates a staff account (a `writer` unless roles are named), or resets its
 * password (and, when given, its roles and address), reading the password
 * from standard input (the first line of a pipe, or typed twice at a prompt
 * without echo). A reset ends the account's sessions.
 * `npm run staff -- roles <username> <role>...`: replaces its roles (and ends
 * its sessions). `npm run staff -- remove <username>`: removes it and its
 * sessions.
 *
 * Uses the store the server uses (`DATA_DIR`, or `DATABASE_URL`). The
 * password is never printed nor logged.
 */
import { ConfigError, loadConfig } from "../config.ts";
import { emailOf, longEnough, MIN_PASSWORD_LENGTH, usernameOf } from "../newsroom/account-input.ts";
import { hashPassword } from "../newsroom/password.ts";
import { readPassword } from "../newsroom/read-password.ts";
import { openStorage, type Storage } from "../storage/open.ts";
import {
  isStaffRole,
  normalizeRoles,
  STAFF_ROLES,
  type StaffChange,
  type StaffRole,
} from "../storage/staff.ts";
import { CliError, parseCommand, runTool, type Tool, UsageError } from "./command.ts";

const TOOL: Tool = {
  name: "staff",
  usage: `Usage: npm run staff -- add <username> [--role <role>]... [--email <address>]
       npm run staff -- roles <username> <role>...
       npm run staff -- remove <username>
  add      creates the account (a writer unless --role says otherwise), or resets its
           password; the password (${MIN_PASSWORD_LENGTH} characters or more) is read from standard input
  roles    replaces the account's roles
  remove   removes the account
  --role   ${STAFF_ROLES.join(", ")} (repeat for several)
  --email  where the newsroom's mail for this account goes
Changing a password or roles, and removing an account, ends its sessions.`,
};

const OPTIONS = {
  role: { type: "string", multiple: true },
  email: { type: "string" },
} as const;

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS);
  const [command, rawUsername, ...rest] = positionals;
  if (command === undefined || rawUsername === undefined) throw new UsageError("usage");
  const username = usernameOf(rawUsername);
  if (username === null) {
    throw new CliError(
      `username "${rawUsername}" must be 1 to 64 characters of a-z, 0-9, "_", "." and "-"`,
    );
  }
  if (command === "add" && rest.length === 0) {
    return await add(username, checkedRoles(values.role), checkedEmail(values.email));
  }
  if (command === "roles" && rest.length > 0 && values.role === undefined) {
    return await withStore(async ({ store }) => {
      refuseUnless(await store.setStaffRoles(username, checkedRoles(rest) ?? []), username);
      const roles = (await store.getStaff(username))?.roles ?? [];
      console.log(`Staff account "${username}" is now: ${roles.join(", ")}. Its sessions ended.`);
      return 0;
    });
  }
  if (command === "remove" && rest.length === 0 && values.role === undefined) {
    return await withStore(async ({ store }) => {
      refuseUnless(await store.removeStaff(username), username);
      console.log(`Removed staff account "${username}" and its sessions.`);
      return 0;
    });
  }
  throw new UsageError("usage");
}

async function add(
  username: string,
  roles: StaffRole[] | undefined,
  email: string | undefined,
): Promise<number> {
  // The password is read and checked before the store is touched: a refusal stores nothing.
  const read = await readPassword({ input: process.stdin, output: process.stderr, confirm: true });
  if (!read.ok) throw new CliError(read.reason);
  if (!longEnough(read.password)) {
    throw new CliError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  const passwordHash = await hashPassword(read.password);
  return await withStore(async ({ store }) => {
    const created = await store.putStaff({
      username,
      passwordHash,
      createdAt: new Date(),
      ...(roles ? { roles } : {}),
      email: email ?? null,
    });
    if (!created && roles) {
      const changed = await store.setStaffRoles(username, roles);
      if (changed === "last-admin") {
        throw new CliError(
          `reset the password of staff account "${username}", but kept its roles: ${LAST_ADMIN}`,
        );
      }
    }
    if (!created && email !== undefined) await store.setStaffEmail(username, email);
    console.log(
      created
        ? `Created staff account "${username}".`
        : `Reset the password of staff account "${username}".`,
    );
    return 0;
  });
}

const LAST_ADMIN = "it is the last admin, and the newsroom needs one";

/** Ends the command with an error naming `username` unless the store made the change. */
function refuseUnless(change: StaffChange, username: string): void {
  if (change === "no-account") throw new CliError(`there is no staff account "${username}"`);
  if (change === "last-admin") {
    throw new CliError(`staff account "${username}" was not changed: ${LAST_ADMIN}`);
  }
}

/** The roles named, or undefined when none were; a name that is not a role is refused. */
function checkedRoles(names: readonly string[] | undefined): StaffRole[] | undefined {
  if (names === undefined) return undefined;
  const unknown = names.filter((name) => !isStaffRole(name));
  if (unknown.length > 0) {
    throw new CliError(`"${unknown[0]}" is not a role (the roles are ${STAFF_ROLES.join(", ")})`);
  }
  return normalizeRoles(names);
}

function checkedEmail(typed: string | undefined): string | undefined {
  if (typed === undefined) return undefined;
  const email = emailOf(typed);
  if (email === null) throw new CliError(`"${typed}" is not an e-mail address`);
  return email;
}

async function withStore(use: (storage: Storage) => Promise<number>): Promise<number> {
  let storage: Storage;
  try {
    storage = await openStorage(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw new CliError(`cannot open the store: ${error instanceof Error ? error.message : error}`);
  }
  try {
    return await use(storage);
  } finally {
    await storage.close();
  }
}

await runTool(TOOL, () => main(process.argv.slice(2)));
