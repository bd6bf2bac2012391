/**
 * A dispatcher interceptor that bounds every response body at the transport,
 * before `fetch` sees a byte:
 *
 * - It asks for `Accept-Encoding: identity` and refuses an encoded body
 *   (`Content-Encoding` other than `identity`) before any byte is inflated:
 *   a 400 KB gzip body inflating to 400 MB, or gzip inside gzip, never reaches
 *   a decompressor, so what is counted is what would be parsed.
 * - It counts the body's bytes and aborts the request past `maxBytes`,
 *   whatever `Content-Length` declared (a declared length over the limit is
 *   refused before the body).
 * - It never asks the HTTP parser to pause: what it passes on is at most
 *   `maxBytes`, held by `fetch`'s body stream. undici's HTTP/1.1 parser (Node
 *   24.21's bundled 7.29.1, and 7.30.3) asserts `!this.paused` in `finish()`
 *   when a `Connection: close` response ends while the parser is paused by a
 *   slow reader, and that assertion is thrown from a socket event: the
 *   process exits. Never pausing keeps our requests off that path.
 */
import { getLogger } from "@logtape/logtape";
import type { Dispatcher } from "undici";

const logger = getLogger(["loa", "net", "fetch"]);

/** Why a response was cut off (its `code` is for logs and tests). */
export class ResponseRefusedError extends Error {
  code = "ERR_RESPONSE_REFUSED";
  constructor(message: string) {
    super(message);
    this.name = "ResponseRefusedError";
  }
}

type Headers = Dispatcher.DispatchOptions["headers"];

/** `headers` with `accept-encoding` replaced by `identity`, in whichever form undici was given. */
function identityEncoding(headers: Headers): Headers {
  const isAcceptEncoding = (name: unknown) => String(name).toLowerCase() === "accept-encoding";
  if (headers == null) return { "accept-encoding": "identity" };
  if (Array.isArray(headers)) {
    const out: string[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (!isAcceptEncoding(headers[i])) out.push(String(headers[i]), String(headers[i + 1]));
    }
    return [...out, "accept-encoding", "identity"];
  }
  const entries =
    Symbol.iterator in headers && typeof headers[Symbol.iterator] === "function"
      ? [...(headers as Iterable<[string, string | string[] | undefined]>)]
      : Object.entries(headers);
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of entries) if (!isAcceptEncoding(name)) out[name] = value;
  out["accept-encoding"] = "identity";
  return out;
}

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value.join(",") : (value ?? "")).trim().toLowerCase();
}

function describe(opts: Dispatcher.DispatchOptions): string {
  return `${String(opts.origin ?? "")}${opts.path}`;
}

/** The interceptor; compose it onto an `Agent` (`agent.compose(boundedResponses(n))`). */
export function boundedResponses(maxBytes: number): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const url = describe(opts);
    let seen = 0;
    let controller: Dispatcher.DispatchController | null = null;
    // Set once this handler gave up: undici may still call with the rest of a
    // chunk it had parsed, or end the response; the reader has its error already.
    let refused = false;
    const refuse = (c: Dispatcher.DispatchController, error: ResponseRefusedError) => {
      refused = true;
      c.abort(error);
      // Not from inside the parser's callback: fetch's body stream, errored
      // re-entrantly there, was seen to hang instead of failing.
      setImmediate(() => handler.onResponseError?.(unpaused, error));
    };
    // Passed on instead of the real controller: `pause` does nothing (see above).
    const unpaused: Dispatcher.DispatchController = {
      get aborted() {
        return controller?.aborted ?? false;
      },
      get paused() {
        return false;
      },
      get reason() {
        return controller?.reason ?? null;
      },
      abort: (reason) => controller?.abort(reason),
      pause: () => {},
      resume: () => controller?.resume(),
    };
    const bounded: Dispatcher.DispatchHandler = {
      onRequestStart(c, context) {
        controller = c;
        handler.onRequestStart?.(unpaused, context);
      },
      onRequestUpgrade(c, statusCode, headers, socket) {
        controller = c;
        handler.onRequestUpgrade?.(unpaused, statusCode, headers, socket);
      },
      onResponseStart(c, statusCode, headers, statusMessage) {
        controller = c;
        const encoding = headerText(headers["content-encoding"]);
        if (encoding !== "" && encoding !== "identity") {
          logger.warning("Not reading {url}: its body is {encoding}-encoded (asked for identity)", {
            url,
            encoding,
          });
          c.abort(
            new ResponseRefusedError(`${url} sent a ${encoding}-encoded body; asked for identity`),
          );
          return;
        }
        const declared = Number(headerText(headers["content-length"]) || "0");
        if (declared > maxBytes) {
          logger.warning("Not reading {url}: {bytes} bytes is over the {max}-byte limit", {
            url,
            bytes: declared,
            max: maxBytes,
          });
          refuse(c, new ResponseRefusedError(`${url} is ${declared} bytes (limit ${maxBytes})`));
          return;
        }
        handler.onResponseStart?.(unpaused, statusCode, headers, statusMessage);
      },
      onResponseData(c, chunk) {
        if (refused) return;
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          logger.warning("Stopped reading {url} past the {max}-byte limit", { url, max: maxBytes });
          refuse(c, new ResponseRefusedError(`${url} exceeds ${maxBytes} bytes`));
          return;
        }
        handler.onResponseData?.(unpaused, chunk);
      },
      onResponseEnd(_c, trailers) {
        if (!refused) handler.onResponseEnd?.(unpaused, trailers);
      },
      onResponseError(_c, error) {
        if (!refused) handler.onResponseError?.(unpaused, error);
      },
    };
    return dispatch({ ...opts, headers: identityEncoding(opts.headers) }, bounded);
  };
}
