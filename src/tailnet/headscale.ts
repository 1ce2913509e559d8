import {
  type AuthKey,
  type AuthKeyRequest,
  createKeyWithoutStrays,
  type NodeFilter,
  TailnetApiError,
  type TailnetControl,
  type TailnetNode,
  nodeMatches,
} from './control.js';
import {
  AmbiguousRequestError,
  HttpClient,
  type HttpClientOptions,
  HttpNetworkError,
  HttpStatusError,
} from './http.js';

/**
 * TailnetControl adapter for headscale's HTTP API (v0.29: /api/v1, gRPC-gateway JSON with camelCase
 * names and uint64 ids as strings), authenticated with an API key from `headscale apikeys create`.
 * Preauth keys are tagged and owned by no user (headscale ≥ 0.27 allows that for tagged keys).
 */

export interface HeadscaleApiOptions {
  /** The server_url, e.g. https://hs.lab.test:8443 (the API is served under /api/v1 on it). */
  url: string;
  apiKey: string;
  /** PEM of the CA that signed headscale's certificate (a lab CA). */
  ca?: string;
  http?: Omit<HttpClientOptions, 'baseUrl' | 'name' | 'ca'>;
}

/** Reads a field under its JSON name (API: camelCase) or its Go/proto name (CLI -o json: snake_case). */
function field(o: Record<string, unknown>, camel: string, snake: string): unknown {
  return o[camel] ?? o[snake];
}

function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A headscale node (API or CLI JSON) as a TailnetNode. */
export function headscaleNode(raw: unknown): TailnetNode {
  const n = (raw ?? {}) as Record<string, unknown>;
  return {
    id: String(n.id ?? ''),
    // `name` is the hostname the node registered with; given_name is its (possibly suffixed) DNS name.
    hostname: String(n.name ?? field(n, 'givenName', 'given_name') ?? ''),
    addresses: strs(field(n, 'ipAddresses', 'ip_addresses')),
    tags: strs(n.tags),
    online: typeof n.online === 'boolean' ? n.online : false,
    advertisedRoutes: strs(field(n, 'availableRoutes', 'available_routes')),
    enabledRoutes: strs(field(n, 'approvedRoutes', 'approved_routes')),
  };
}

/** Seconds (or nanos) of a proto Timestamp as the CLI prints it, or an RFC 3339 string as the API does. */
export function timestampMs(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  if (v && typeof v === 'object') {
    const s = Number((v as { seconds?: unknown }).seconds ?? 0);
    const ns = Number((v as { nanos?: unknown }).nanos ?? 0);
    return s * 1000 + Math.floor(ns / 1e6);
  }
  return undefined;
}

export interface HeadscaleKeyInfo {
  id: string;
  tags: string[];
  used: boolean;
  createdMs?: number;
  expirationMs?: number;
}

export function headscaleKey(raw: unknown): HeadscaleKeyInfo {
  const k = (raw ?? {}) as Record<string, unknown>;
  return {
    id: String(k.id ?? ''),
    tags: strs(field(k, 'aclTags', 'acl_tags')),
    used: k.used === true,
    createdMs: timestampMs(field(k, 'createdAt', 'created_at')),
    expirationMs: timestampMs(k.expiration),
  };
}

/**
 * Keys that an ambiguous create may have made: same tags, unused, created since `sinceMs` (minus
 * clock slack). headscale keys carry no description, so time and tags stand in for it.
 */
export function possiblyOurs(keys: HeadscaleKeyInfo[], tags: string[], sinceMs: number): HeadscaleKeyInfo[] {
  const want = [...tags].sort().join(',');
  return keys.filter(
    (k) =>
      !k.used &&
      [...k.tags].sort().join(',') === want &&
      (k.createdMs === undefined || k.createdMs >= sinceMs - 5000),
  );
}

export class HeadscaleApi implements TailnetControl {
  readonly kind = 'headscale' as const;
  readonly loginServer: string;
  private readonly http: HttpClient;

  constructor(private readonly opts: HeadscaleApiOptions) {
    this.loginServer = opts.url.replace(/\/+$/, '');
    this.http = new HttpClient({
      ...opts.http,
      baseUrl: `${this.loginServer}/api/v1`,
      name: 'headscale API',
      ca: opts.ca,
    });
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.opts.apiKey}` };
  }

  private async call(
    method: string,
    path: string,
    json?: unknown,
    extra: { accept?: number[]; create?: boolean } = {},
  ) {
    try {
      return await this.http.request(method, path, {
        headers: this.auth(),
        json,
        accept: extra.accept,
        safety: extra.create ? 'create' : 'idempotent',
      });
    } catch (e) {
      if (e instanceof HttpStatusError && e.status === 401) {
        throw new TailnetApiError(
          `headscale refused the API key (401). Fix: set api-key to a key from \`headscale apikeys create\` that has not expired`,
          401,
        );
      }
      if (e instanceof AmbiguousRequestError) throw e;
      if (e instanceof HttpStatusError) throw new TailnetApiError(e.message, e.status);
      if (e instanceof HttpNetworkError) throw new TailnetApiError(e.message, undefined, true);
      throw e;
    }
  }

  async createAuthKey(req: AuthKeyRequest): Promise<AuthKey> {
    const body = {
      reusable: req.reusable,
      ephemeral: req.ephemeral,
      expiration: new Date(Date.now() + req.expirySeconds * 1000).toISOString(),
      aclTags: req.tags,
    };
    return createKeyWithoutStrays({
      what: 'a headscale preauth key',
      rounds: 3,
      attempt: async () => {
        const r = await this.call('POST', '/preauthkey', body, { create: true });
        const k = (r.body as { preAuthKey?: Record<string, unknown> } | undefined)?.preAuthKey;
        if (!k || typeof k.key !== 'string')
          throw new TailnetApiError('headscale created a preauth key but returned none');
        const exp = timestampMs(k.expiration);
        return { id: String(k.id), key: k.key, expires: exp ? new Date(exp).toISOString() : undefined };
      },
      isAmbiguous: (e) => e instanceof AmbiguousRequestError,
      // A key may exist that we never saw: delete what matches before minting another.
      cleanUp: async (since) => {
        for (const k of possiblyOurs(await this.listKeys(), req.tags, since)) await this.revokeAuthKey(k.id);
      },
    });
  }

  async listKeys(): Promise<HeadscaleKeyInfo[]> {
    const r = await this.call('GET', '/preauthkey');
    return ((r.body as { preAuthKeys?: unknown[] } | undefined)?.preAuthKeys ?? []).map(headscaleKey);
  }

  /** Deletes the key (headscale answers 200 for an id that is already gone). */
  async revokeAuthKey(id: string): Promise<void> {
    await this.call('DELETE', `/preauthkey?id=${encodeURIComponent(id)}`, undefined, { accept: [404] });
  }

  async findNodes(filter: NodeFilter): Promise<TailnetNode[]> {
    const r = await this.call('GET', '/node');
    const nodes = ((r.body as { nodes?: unknown[] } | undefined)?.nodes ?? []).map(headscaleNode);
    return nodes.filter((n) => nodeMatches(n, filter));
  }

  async approveRoutes(nodeId: string, routes: string[]): Promise<void> {
    await this.call('POST', `/node/${encodeURIComponent(nodeId)}/approve_routes`, { routes });
  }

  async deleteNode(nodeId: string): Promise<void> {
    await this.call('DELETE', `/node/${encodeURIComponent(nodeId)}`, undefined, { accept: [404] });
  }
}
