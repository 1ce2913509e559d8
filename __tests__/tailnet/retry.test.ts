import { describe, expect, it } from '@jest/globals';
import {
  backoffMs,
  decideRetry,
  isRejectedUnprocessed,
  isRetryableStatus,
  parseRetryAfter,
} from '../../src/tailnet/retry.js';

const P = { baseMs: 500, capMs: 10_000, maxAttempts: 6 };

describe('retry policy', () => {
  it('classifies statuses: network-ish 408/429/5xx retry, 501 and other 4xx do not', () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 501].some(isRetryableStatus)).toBe(false);
    expect([408, 429].every(isRejectedUnprocessed)).toBe(true);
    expect([500, 502, 503, 504].some(isRejectedUnprocessed)).toBe(false);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon-ish?', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });

  it('uses full jitter under an exponentially growing, capped ceiling', () => {
    expect(backoffMs(0, P, () => 0.999)).toBe(499);
    expect(backoffMs(3, P, () => 0.5)).toBe(2000);
    expect(backoffMs(10, P, () => 0.999)).toBe(9990);
    expect(backoffMs(2, P, () => 0)).toBe(0);
  });

  it('honours Retry-After, stops at the attempt limit and at the deadline', () => {
    expect(decideRetry(1, P, 60_000, 3000)).toEqual({ retry: true, waitMs: 3000 });
    expect(decideRetry(1, P, 60_000, undefined, () => 0.5)).toEqual({ retry: true, waitMs: 250 });
    expect(decideRetry(6, P, 60_000, undefined)).toEqual({
      retry: false,
      reason: 'gave up after 6 attempts',
    });
    const d = decideRetry(1, P, 2000, 5000);
    expect(d.retry).toBe(false);
    expect(d.retry === false && d.reason).toMatch(/deadline reached \(server asked to retry after 5s/);
  });
});
