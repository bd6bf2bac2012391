/**
 * Mail servers on loopback for the newsroom's e-mail tests: a real SMTP
 * server (`smtp-server`) that keeps what it receives, decoded, and can be
 * told to refuse; and a server that accepts connections and never says a
 * word (a hung mail server).
 */
import { createServer, type Server, type Socket } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** The envelope's sender and recipients. */
  from: string;
  to: string[];
  /** Headers, unfolded and decoded (names lower-cased). */
  headers: Record<string, string>;
  subject: string;
  text: string;
}

export interface SmtpServer {
  port: number;
  received: ReceivedMail[];
  /** Recipients refused so far (while `refusing`). */
  refusals: number;
  /** While true every recipient is refused with a temporary 451. */
  refusing: boolean;
  close(): Promise<void>;
}

/** `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words (RFC 2047), as nodemailer writes them. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toLowerCase() === "b"
        ? Buffer.from(data, "base64").toString("utf8")
        : Buffer.from(
            data
              .replace(/_/g, " ")
              .replace(/=([0-9a-f]{2})/gi, (_m, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            "latin1",
          ).toString("utf8"),
    );
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString();
  if (encoding === "quoted-printable") {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return Buffer.from(body, "latin1").toString("utf8");
}

export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const at = line.indexOf(":");
    headers[line.slice(0, at).trim().toLowerCase()] = decodeWords(line.slice(at + 1).trim());
  }
  const text = decodeBody(
    raw.slice(split + 4),
    (headers["content-transfer-encoding"] ?? "").toLowerCase(),
  ).replace(/\r\n/g, "\n");
  return { from, to, headers, subject: headers.subject ?? "", text: text.trimEnd() };
}

/**
 * A real SMTP server on `port` (loopback, no TLS). With `auth`, it asks for
 * that user and password (AUTH PLAIN/LOGIN) and refuses anything else.
 */
export async function startSmtp(
  port: number,
  auth?: { user: string; pass: string },
): Promise<SmtpServer> {
  const state: SmtpServer = {
    port,
    received: [],
    refusals: 0,
    refusing: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: auth === undefined,
    allowInsecureAuth: true,
    disabledCommands: auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    logger: false,
    onAuth(given, _session, callback) {
      if (auth && given.username === auth.user && given.password === auth.pass) {
        return callback(null, { user: given.username });
      }
      callback(Object.assign(new Error("Invalid credentials"), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (!state.refusing) return callback();
      state.refusals++;
      const error = Object.assign(new Error("Mailbox busy, try later"), { responseCode: 451 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const to = session.envelope.rcptTo.map((r) => r.address);
        state.received.push(parseMail(Buffer.concat(chunks).toString("latin1"), from, to));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return state;
}

/** A server on `port` that accepts every connection and never answers. */
export async function startSilent(port: number): Promise<{
  connections: number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const state = {
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return state;
}
