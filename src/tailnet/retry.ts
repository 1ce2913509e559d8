/**
 * Retry policy for control-server calls (pure: time and randomness are passed in).
 * Retryable: network errors, 408, 429, 5xx except 501. Exponential backoff with full jitter,
 * Retry-After honoured, never waiting past the overall deadline.
 */

export interface RetryPolicy {
  /** First backoff ceiling. */
  baseMs: number;
  /** Largest backoff ceiling. */
  capMs: number;
  /** Attempts in total (first try included). */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 500, capMs: 10_000, maxAttempts: 6 };

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

/**
 * Statuses where the server certainly did not act on the request, so even a create may be resent:
 * 408 (it gave up waiting for the request) and 429 (refused by the rate limiter).
 */
export function isRejectedUnprocessed(status: number): boolean {
  return status === 408 || status === 429;
}

/** Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP date; undefined when absent/garbled. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (v === '' || !/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Full jitter: random(0, min(cap, base·2^retry)) for the `retry`-th retry (0-based). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false; reason: string };

/**
 * Whether to try again after the `attempt`-th attempt (1-based) failed retryably, and how long to wait.
 * A Retry-After beyond the deadline ends the retries instead of being shortened: the server said when
 * it will answer, and an earlier try would be refused again.
 */
export function decideRetry(
  attempt: number,
  policy: RetryPolicy,
  remainingMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): RetryDecision {
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
  const waitMs = retryAfterMs ?? backoffMs(attempt - 1, policy, random);
  if (waitMs >= remainingMs) {
    const why =
      retryAfterMs !== undefined ? `server asked to retry after ${Math.ceil(waitMs / 1000)}s` : 'backoff';
    return {
      retry: false,
      reason: `deadline reached (${why}, ${Math.max(0, Math.floor(remainingMs))}ms left)`,
    };
  }
  return { retry: true, waitMs };
}
