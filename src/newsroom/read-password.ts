/**
 * Reads a password for a command-line tool: the first line of standard input
 * when it is a pipe or file, or typed at a prompt, not echoed, when it is a
 * terminal. What is read is only returned, never written anywhere.
 */

/** The longest password taken: scrypt would take more, but nobody types more. */
export const MAX_PASSWORD_LENGTH = 1024;

/** A password, or why there is none (a sentence for the error line). */
export type PasswordRead = { ok: true; password: string } | { ok: false; reason: string };

export interface PasswordPrompt {
  input: NodeJS.ReadStream;
  /** Where prompts go (standard error, so standard output stays for results). */
  output: NodeJS.WriteStream;
  /** On a terminal, ask twice and refuse a mismatch. */
  confirm: boolean;
}

export async function readPassword(prompt: PasswordPrompt): Promise<PasswordRead> {
  const { input, output } = prompt;
  if (!input.isTTY) return firstLine(input);
  // Echo goes off before the first prompt shows and stays off until the last
  // answer: nothing typed ahead is ever echoed.
  input.setEncoding("utf8");
  input.setRawMode(true);
  try {
    const first = await typed(input, output, "Password: ");
    if (first === null) return { ok: false, reason: "no password typed" };
    if (prompt.confirm) {
      const again = await typed(input, output, "Password (again): ");
      if (again !== first) return { ok: false, reason: "the two passwords differ" };
    }
    return limited(first);
  } finally {
    input.setRawMode(false);
    input.pause();
  }
}

function limited(password: string): PasswordRead {
  return [...password].length > MAX_PASSWORD_LENGTH
    ? { ok: false, reason: `the password is longer than ${MAX_PASSWORD_LENGTH} characters` }
    : { ok: true, password };
}

/** The first line of a pipe (or all of it without a newline). The rest is left unread. */
function firstLine(input: NodeJS.ReadStream): Promise<PasswordRead> {
  return new Promise((resolve) => {
    let text = "";
    const finish = (result: PasswordRead) => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onError);
      // Not waiting for the writer to close its end: the first line is all we take.
      input.destroy();
      resolve(result);
    };
    const onData = (chunk: string) => {
      text += chunk;
      const newline = text.indexOf("\n");
      if (newline >= 0) finish(limited(text.slice(0, newline).replace(/\r$/, "")));
      else if (text.length > MAX_PASSWORD_LENGTH * 4) finish(limited(text));
    };
    const onEnd = () =>
      finish(text === "" ? { ok: false, reason: "no password on standard input" } : limited(text));
    const onError = (error: Error) =>
      finish({ ok: false, reason: `cannot read standard input: ${error.message}` });
    input.setEncoding("utf8");
    input.on("data", onData);
    input.on("end", onEnd);
    input.on("error", onError);
  });
}

/** One line typed at `prompt` on a terminal in raw mode; null on Ctrl-C, or Ctrl-D on an empty line. */
function typed(
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
  prompt: string,
): Promise<string | null> {
  output.write(prompt);
  return new Promise((resolve) => {
    let value = "";
    const finish = (result: string | null) => {
      input.off("data", onData);
      input.pause();
      output.write("\n");
      resolve(result);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish(value);
        if (char === "\u0003") return finish(null);
        if (char === "\u0004" && value === "") return finish(null);
        if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("");
        // Other control characters (arrow keys' escapes and the like) are not password text.
        else if (char >= " ") value += char;
      }
    };
    input.on("data", onData);
    input.resume();
  });
}
