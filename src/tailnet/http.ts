import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  DEFAULT_RETRY,
  decideRetry,
  isRejectedUnprocessed,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.js';

/**
 * A small JSON-over-HTTP client for control-server APIs: per-attempt timeouts, retries by the policy in
 * retry.ts, an overall deadline per call, and errors that say which call failed and why.
 */

export interface HttpClientOptions {
  baseUrl: string;
  /** Names the server in messages, e.g. "Tailscale API". */
  name: string;
  policy?: RetryPolicy;
  /** Per attempt. */
  requestTimeoutMs?: number;
  /** Overall budget of one call, retries and waits included. */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Told about each retry (for progress logs; carries no bodies or headers). */
  onRetry?: (info: RetryInfo) => void;
  /** PEM CA certificate(s) to trust for https instead of the system store (a lab CA). */
  ca?: string;
}

export interface RetryInfo {
  method: string;
  path: string;
  attempt: number;
  status?: number;
  error?: string;
  waitMs: number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /**
   * 'idempotent' (default): every retryable failure is retried.
   * 'create': only failures where the server certainly did nothing (408, 429) are retried; any other
   * failure after the request may have reached the server throws AmbiguousRequestError so the caller
   * can look for what was created before trying again.
   */
  safety?: 'idempotent' | 'create';
  /** Statuses returned instead of thrown, e.g. [404] for deletes. */
  accept?: number[];
}

export interface HttpResult {
  status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
  text: string;
}

/** The server answered with a status that is not success and not retried (or retries ran out). */
export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly serverMessage: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

/** No usable answer: network error, timeout, or retries/deadline exhausted without a status. */
export class HttpNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpNetworkError';
  }
}

/** A create may or may not have been applied by the server (5xx, timeout or dropped connection). */
export class AmbiguousRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AmbiguousRequestError';
  }
}

/** The human part of an error body: Tailscale {message}, OAuth {error, error_description}, gRPC-gateway {message}. */
export function serverMessageOf(body: unknown, text: string): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const k of ['message', 'error_description', 'error']) {
      if (typeof b[k] === 'string' && b[k] !== '') return b[k] as string;
    }
  }
  const t = text.trim();
  return t.length > 300 ? `${t.slice(0, 300)}…` : t;
}

export class HttpClient {
  private readonly policy: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly opts: HttpClientOptions) {
    this.policy = opts.policy ?? DEFAULT_RETRY;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.deadlineMs = opts.deadlineMs ?? 60_000;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  get name(): string {
    return this.opts.name;
  }

  async request(method: string, path: string, ro: RequestOptions = {}): Promise<HttpResult> {
    const url = this.opts.baseUrl.replace(/\/+$/, '') + path;
    const what = `${this.opts.name} ${method} ${path.split('?')[0]}`;
    const deadline = this.now() + this.deadlineMs;
    const safety = ro.safety ?? 'idempotent';
    const headers: Record<string, string> = { accept: 'application/json', ...ro.headers };
    let body: string | undefined;
    if (ro.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(ro.json);
    } else if (ro.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(ro.form).toString();
    }

    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - this.now();
      let res: RawResponse;
      try {
        res = await send(
          url,
          method,
          headers,
          body,
          Math.max(1, Math.min(this.requestTimeoutMs, remaining)),
          this.opts.ca,
        );
      } catch (e) {
        const err = describeNetworkError(e);
        if (safety === 'create')
          throw new AmbiguousRequestError(`${what}: ${err} (the server may have applied it)`);
        const d = decideRetry(attempt, this.policy, deadline - this.now(), undefined, this.random);
        if (!d.retry) throw new HttpNetworkError(`${what}: ${err}; ${d.reason}`);
        this.opts.onRetry?.({ method, path, attempt, error: err, waitMs: d.waitMs });
        await this.sleep(d.waitMs);
        continue;
      }
      const text = res.text;

      const parsed = parseJson(text);
      if ((res.status >= 200 && res.status < 300) || ro.accept?.includes(res.status)) {
        return { status: res.status, body: parsed, text };
      }
      const msg = serverMessageOf(parsed, text);
      if (!isRetryableStatus(res.status)) {
        throw new HttpStatusError(`${what}: ${res.status} ${msg}`, res.status, msg, parsed);
      }
      if (safety === 'create' && !isRejectedUnprocessed(res.status)) {
        throw new AmbiguousRequestError(
          `${what}: ${res.status} ${msg} (the server may have applied it)`,
          res.status,
        );
      }
      const retryAfter = parseRetryAfter(res.retryAfter, this.now());
      const d = decideRetry(attempt, this.policy, deadline - this.now(), retryAfter, this.random);
      if (!d.retry) {
        throw new HttpStatusError(`${what}: ${res.status} ${msg}; ${d.reason}`, res.status, msg, parsed);
      }
      this.opts.onRetry?.({ method, path, attempt, status: res.status, waitMs: d.waitMs });
      await this.sleep(d.waitMs);
    }
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface RawResponse {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

class RequestTimeout extends Error {
  constructor() {
    super('request timed out');
    this.name = 'RequestTimeout';
  }
}

/** One HTTP exchange with node:http(s): whole-exchange timeout, optional CA, body read as text. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
  ca: string | undefined,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const h = { ...headers };
    if (body !== undefined) h['content-length'] = String(Buffer.byteLength(body));
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      { method, headers: h, ...(ca ? { ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => done(e));
        res.on('end', () => {
          const ra = res.headers['retry-after'];
          done(undefined, {
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(ra) ? ra[0] : ra,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new RequestTimeout()), timeoutMs);
    let settled = false;
    const done = (err?: Error, r?: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(r!);
    };
    req.on('error', (e) => done(e));
    req.end(body);
  });
}

function describeNetworkError(e: unknown): string {
  if (e instanceof RequestTimeout) return 'request timed out';
  const code = (e as { code?: string }).code;
  if (code === 'ECONNRESET') return 'connection closed without an answer (ECONNRESET)';
  if (code)
    return `network error ${code}${code.startsWith('ERR_TLS') || code.includes('CERT') ? ` (${(e as Error).message})` : ''}`;
  return `network error: ${e instanceof Error ? e.message : String(e)}`;
}
