/**
 * What every command-line tool shares: arguments parsed by `node:util`'s
 * `parseArgs`, `--help` (or `-h`) printing the usage on standard output,
 * and one way to fail. A mistake in how the tool was called prints
 * `<tool>: <problem>` and the usage on standard error and exits 2; a refusal
 * (a bad value, a missing account, a store that cannot open) prints one line
 * `<tool>: <problem>` and exits 1; success exits 0.
 */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** The tool was called wrongly: its usage is shown. */
export class UsageError extends Error {}

/** The tool refuses (exit 1), saying why on one line. */
export class CliError extends Error {}

/** `--help` was asked for. */
class HelpRequested extends Error {}

/** A tool: its name (as in `npm run <name>`) and its usage text. */
export interface Tool {
  name: string;
  /** Starts with `Usage: npm run <name> …`; option lines below it. */
  usage: string;
}

/** The arguments as `parseArgs` gives them, or a {@link UsageError} naming what is wrong. */
export function parseCommand<const O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: O,
) {
  helpAsked(argv);
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(problemOf(error));
  }
  return parsed;
}

/** Throws the request for help when `argv` asks for it (before anything else is checked). */
export function helpAsked(argv: readonly string[]): void {
  if (argv.includes("--help") || argv.includes("-h")) throw new HelpRequested();
}

/** `parseArgs`'s message, short: "Unknown option: --bogus". */
function problemOf(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const named = /'(-[^']*)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && named) return `Unknown option: ${named}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && named) {
    return `Option ${named} needs a value`;
  }
  return message.split(". ")[0] ?? message;
}

/**
 * Runs a tool's `main` and sets the exit code as the module comment says.
 * Anything else thrown is a defect and is left to crash loudly.
 */
export async function runTool(tool: Tool, main: () => Promise<number | undefined>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${tool.usage}\n`);
      process.exitCode = 0;
    } else if (error instanceof UsageError) {
      process.stderr.write(`${tool.name}: ${error.message}\n${tool.usage}\n`);
      process.exitCode = 2;
    } else if (error instanceof CliError) {
      process.stderr.write(`${tool.name}: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}
