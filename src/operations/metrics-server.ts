/**
 * The `/metrics` listener: a bare `node:http` server on its own port
 * (`METRICS_PORT`, loopback by default), apart from the public site, so the
 * reverse proxy never exposes it and a flood of page requests cannot starve a
 * scrape of its route.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getLogger } from "@logtape/logtape";
import type { Metrics } from "./metrics.ts";

const logger = getLogger(["loa", "operations", "metrics"]);

/** Settings of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  host: string;
  /** 0 picks a free port (tests); read the one chosen from `address.port`. */
  port: number;
  metrics: Pick<Metrics, "registry">;
}

/** A running metrics listener. */
export interface MetricsServer {
  readonly address: AddressInfo;
  /** Stops listening and drops open connections (a scrape in flight is cut). */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` and answers `GET /metrics` (and `HEAD`) with the
 * registry in the Prometheus text format; 404 for other paths, 405 for other
 * methods. Rejects when it cannot listen (the port is taken, say), naming the
 * address.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry } = options.metrics;
  const server = createServer((request, response) => {
    answer(request, response, registry).catch((error: unknown) => {
      logger.error("Metrics scrape failed: {error}", { error });
      if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", "error\n");
      else response.destroy();
    });
  });
  // A scraper that opens a connection and sends nothing must not hold it forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => {
      reject(
        new Error(`The metrics server could not listen on ${options.host}:${options.port}`, {
          cause: error,
        }),
      );
    };
    server.once("error", failed);
    server.listen(options.port, options.host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  logger.info("Metrics at http://{host}:{port}/metrics", {
    host: address.address,
    port: address.port,
  });

  return {
    address,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  registry: Metrics["registry"],
): Promise<void> {
  const path = (request.url ?? "/").split("?", 1)[0];
  if (path !== "/metrics") {
    send(response, 404, "text/plain; charset=utf-8", "Not found: metrics are at /metrics\n");
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("allow", "GET, HEAD");
    send(response, 405, "text/plain; charset=utf-8", "Method not allowed\n");
    return;
  }
  const body = await registry.metrics();
  send(response, 200, registry.contentType, body);
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  // Node leaves the body out of a HEAD answer itself.
  response.end(body);
}
