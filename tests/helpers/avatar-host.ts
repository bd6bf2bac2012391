/**
 * A sender's server for avatars, on loopback: answers a real PNG, an SVG
 * with a script, and a 50 MB body (declared, and chunked without a length),
 * and counts every request by path, as the sender would see them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { SVG_WITH_SCRIPT } from "./pictures.ts";

export interface AvatarHost {
  origin: string;
  /** Requests seen, by path. */
  seen(path: string): number;
  close(): Promise<void>;
}

const FIFTY_MB = 50 * 1024 * 1024;

export async function startAvatarHost(): Promise<AvatarHost> {
  const png = await sharp({
    create: { width: 400, height: 300, channels: 3, background: "#2a6f97" },
  })
    .png()
    .withExif({ IFD0: { Make: "PhoneMakerX" } })
    .toBuffer();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (path.startsWith("/ok/")) {
      res.writeHead(200, { "Content-Type": "image/png", "Content-Length": png.length });
      res.end(png);
    } else if (path.startsWith("/svg/")) {
      // Declared as a PNG: only the bytes tell.
      res.writeHead(200, { "Content-Type": "image/png" });
      res.end(SVG_WITH_SCRIPT);
    } else if (path.startsWith("/huge-declared/")) {
      res.writeHead(200, { "Content-Type": "image/png", "Content-Length": FIFTY_MB });
      streamPng(res, png, FIFTY_MB);
    } else if (path.startsWith("/huge-chunked/")) {
      res.writeHead(200, { "Content-Type": "image/png" });
      streamPng(res, png, FIFTY_MB);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A PNG's bytes, then padding up to `total` bytes, written as the reader takes them. */
function streamPng(res: import("node:http").ServerResponse, png: Buffer, total: number): void {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024);
  res.on("close", () => {
    sent = total;
  });
  const write = () => {
    while (sent < total) {
      const piece = sent === 0 ? png : chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += piece.length;
      if (!res.write(piece)) {
        res.once("drain", write);
        return;
      }
    }
    res.end();
  };
  write();
}
