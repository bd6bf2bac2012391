/**
 * Bounds on the probes that readiness checks and scrape-time gauges run: a
 * deadline, and at most one call in flight. Both are polled (a load balancer
 * every second, Prometheus every 15 s); a store that hangs must neither hang
 * the poller nor pile up one stuck query per poll.
 */

/** A probe did not settle within its time. */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * Settles as `work()` does, or rejects with {@link TimeoutError} after `ms`.
 * The work is not cancelled (a database query cannot be), only no longer
 * waited for. The timer is unref'd so it never keeps a process alive.
 */
export function withTimeout<T>(work: () => Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new TimeoutError(`${what} did not answer within ${ms} ms`));
    }, ms);
    timer.unref();
    const settle = <A>(fn: (value: A) => void) => {
      return (value: A) => {
        clearTimeout(timer);
        fn(value);
      };
    };
    let started: Promise<T>;
    try {
      started = work();
    } catch (error) {
      started = Promise.reject(error);
    }
    started.then(settle(resolve), settle(reject));
  });
}

/**
 * Wraps `work` so that callers arriving while a call is still running share
 * that call's promise instead of starting another.
 */
export function singleFlight<T>(work: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    if (running) return running;
    let call: Promise<T>;
    try {
      call = work();
    } catch (error) {
      call = Promise.reject(error);
    }
    const current = call.finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };
}

/** An error's message for an operator (the error itself when it is not an Error). */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
