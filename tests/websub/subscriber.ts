/**
 * A WebSub subscriber on loopback for the tests: its own small HTTP server
 * that answers the hub's verification GET (echoing the challenge, or not)
 * and records every push, answering each as its behaviour says.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Push {
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

/** How the subscriber answers: a verification GET, and the n-th push (from 0). */
export interface Behaviour {
  /** Echo the challenge (default), or answer with something else. */
  challenge?: "echo" | "wrong";
  /** The status for push `n`; "hang" never answers. Default 200. */
  push?: (n: number) => number | "hang";
}

export interface Subscriber {
  /** The callback URL (with a query of its own, which the hub must keep). */
  callback: string;
  verifications: URLSearchParams[];
  pushes: Push[];
  close(): Promise<void>;
}

export async function startSubscriber(
  name: string,
  behaviour: Behaviour = {},
): Promise<Subscriber> {
  const verifications: URLSearchParams[] = [];
  const pushes: Push[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "GET") {
      verifications.push(url.searchParams);
      const challenge = url.searchParams.get("hub.challenge") ?? "";
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(behaviour.challenge === "wrong" ? `not-${challenge}` : challenge);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = pushes.length;
      pushes.push({ headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
      const status = behaviour.push?.(n) ?? 200;
      if (status === "hang") return;
      res.writeHead(status);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    callback: `http://127.0.0.1:${port}/hook?name=${name}`,
    verifications,
    pushes,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** POSTs a form to the hub; resolves with the status and the body's text. */
export async function hubRequest(
  origin: string,
  fields: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${origin}/websub`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, text: await res.text() };
}
