import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { SnapshotEntry } from "./snapshot.ts";

const run = promisify(execFile);

export const NGINX = "/usr/sbin/nginx";

async function present(): Promise<boolean> {
  try {
    await run(NGINX, ["-v"]);
    return true;
  } catch {
    return false;
  }
}

/** Installs Debian's nginx when it is missing (root only); returns its version line. */
export async function ensureNginx(log: (line: string) => void): Promise<string> {
  if (!(await present())) {
    if (process.getuid?.() !== 0)
      throw new Error("nginx is missing; install it (apt-get install nginx)");
    log("installing nginx with apt-get (update first)…");
    const opts = { timeout: 600_000, env: { ...envForApt() } };
    await run("apt-get", ["update", "-qq"], opts);
    await run("apt-get", ["install", "-y", "-qq", "nginx"], opts);
  }
  const { stderr } = await run(NGINX, ["-v"]);
  return stderr.trim();
}

function envForApt(): Record<string, string> {
  return { DEBIAN_FRONTEND: "noninteractive", PATH: "/usr/sbin:/usr/bin:/sbin:/bin" };
}

/**
 * Writes an nginx config that serves the snapshot's files at their original paths
 * with their original content types, on one loopback port, one worker (the
 * server under test is one Node process too), its own ETags, no access log.
 * Returns the arguments to run it in the foreground.
 */
export async function writeNginxConfig(
  dir: string,
  port: number,
  entries: readonly SnapshotEntry[],
): Promise<string[]> {
  const tmp = join(dir, "nginx-tmp");
  await mkdir(tmp, { recursive: true });
  const q = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  const locations = entries
    .map(
      // `location =` is matched against the decoded URI (a tag feed's path is percent-encoded).
      (e) => `    location = ${q(decodeURIComponent(e.path))} {
      types {}
      default_type ${q(e.contentType)};
      try_files /${e.file} =404;
    }`,
    )
    .join("\n");
  const conf = `${process.getuid?.() === 0 ? "user root;\n" : ""}daemon off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "nginx-error.log")} warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 10000000;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir};
${locations}
    location / { return 404; }
  }
}
`;
  const file = join(dir, "nginx.conf");
  await writeFile(file, conf);
  return ["-e", join(dir, "nginx-error.log"), "-p", dir, "-c", file];
}
