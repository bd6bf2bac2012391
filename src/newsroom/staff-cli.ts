/**
 * `npm run staff -- add <username>`: creates a staff account, or resets its
 * password, reading the password from standard input (the first line of a
 * pipe, or typed twice at a prompt without echo).
 * `npm run staff -- remove <username>`: removes the account and its sessions.
 *
 * Uses the store the server uses (`DATA_DIR`, or `DATABASE_URL`). Exits 0 on
 * success, else 1 with one line on standard error naming the problem. The
 * password is never printed nor logged.
 */
import { ConfigError, loadConfig } from "../config.ts";
import { openStorage, type Storage } from "../storage/open.ts";
import { hashPassword } from "./password.ts";
import { readPassword } from "./read-password.ts";

const USAGE = "usage: npm run staff -- add <username> | npm run staff -- remove <username>";
const USERNAME = /^[a-z0-9_.-]{1,64}$/;
const MIN_PASSWORD_LENGTH = 12;

/** A problem to report on one line; anything else thrown is a defect. */
class CliError extends Error {}

async function main(argv: readonly string[]): Promise<string> {
  const [command, rawUsername, ...extra] = argv;
  if ((command !== "add" && command !== "remove") || rawUsername === undefined || extra.length) {
    throw new CliError(USAGE);
  }
  const username = rawUsername.toLowerCase();
  if (!USERNAME.test(username)) {
    throw new CliError(
      `username "${rawUsername}" must be 1 to 64 characters of a-z, 0-9, "_", "." and "-"`,
    );
  }
  // The password is read and checked before the store is touched: a refusal stores nothing.
  let passwordHash: string | null = null;
  if (command === "add") {
    const read = await readPassword({
      input: process.stdin,
      output: process.stderr,
      confirm: true,
    });
    if (!read.ok) throw new CliError(read.reason);
    if ([...read.password].length < MIN_PASSWORD_LENGTH) {
      throw new CliError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
    }
    passwordHash = await hashPassword(read.password);
  }
  const storage = await open();
  try {
    if (passwordHash !== null) {
      const created = await storage.store.putStaff({
        username,
        passwordHash,
        createdAt: new Date(),
      });
      return created
        ? `Created staff account "${username}".`
        : `Reset the password of staff account "${username}".`;
    }
    if (!(await storage.store.removeStaff(username))) {
      throw new CliError(`there is no staff account "${username}"`);
    }
    return `Removed staff account "${username}" and its sessions.`;
  } finally {
    await storage.close();
  }
}

async function open(): Promise<Storage> {
  try {
    return await openStorage(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw new CliError(`cannot open the store: ${error instanceof Error ? error.message : error}`);
  }
}

try {
  console.log(await main(process.argv.slice(2)));
  process.exitCode = 0;
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  console.error(`staff: ${error.message}`);
  process.exitCode = 1;
}
