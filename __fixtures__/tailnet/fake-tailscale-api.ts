import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of the Tailscale API v2 on 127.0.0.1 (random port): the endpoints join-tailscale and
 * teardown use, with the documented request and response shapes and error bodies, plus fault
 * injection (status + Retry-After, delay, dropped connection, failure after the change was applied).
 */

export interface FakeOAuthClient {
  id: string;
  secret: string;
  /** Tags the client was created with; keys it mints may only carry tags these own. */
  tags: string[];
  /** e.g. ['auth_keys', 'devices:core', 'devices:routes'] or ['all']. */
  scopes: string[];
}

export interface FakeKey {
  id: string;
  key: string;
  description: string;
  created: string;
  expires: string;
  revoked?: string;
  used: boolean;
  capabilities: {
    devices: { create: { reusable: boolean; ephemeral: boolean; preauthorized: boolean; tags: string[] } };
  };
}

export interface FakeDevice {
  id: string;
  nodeId: string;
  name: string;
  hostname: string;
  addresses: string[];
  os: string;
  created: string;
  lastSeen: string;
  authorized: boolean;
  ephemeral: boolean;
  tags: string[];
  connectedToControl: boolean;
  advertisedRoutes: string[];
  enabledRoutes: string[];
}

export interface Fault {
  method?: string;
  /** Matched against the path without query, e.g. '/api/v2/tailnet/-/keys' or a RegExp. */
  path: string | RegExp;
  /** How many matching requests it applies to. */
  times: number;
  status?: number;
  retryAfter?: string;
  body?: unknown;
  /** Wait before acting (or before answering normally when no status/drop). */
  delayMs?: number;
  /** Destroy the socket without an answer. */
  drop?: boolean;
  /** Handle the request normally first, then fail: the change is applied but the client does not learn it. */
  afterCommit?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
  status: number;
}

const TAILNET = 'example.com';

export class FakeTailscaleApi {
  readonly keys = new Map<string, FakeKey>();
  readonly devices = new Map<string, FakeDevice>();
  readonly requests: RecordedRequest[] = [];
  /** tagOwners of the tailnet policy: tag → owners (tags or users). A client tag owns itself. */
  tagOwners: Record<string, string[]> = {};
  private readonly tokens = new Map<string, { client: FakeOAuthClient; expires: number }>();
  private readonly faults: Fault[] = [];
  private server?: Server;
  private seq = 1000;
  private port = 0;

  constructor(readonly clients: FakeOAuthClient[]) {}

  /** Base URL to give the adapter, e.g. http://127.0.0.1:41234/api/v2 */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v2`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  inject(f: Fault): void {
    this.faults.push({ ...f });
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  /**
   * What `tailscale up --auth-key` does to the control plane: consumes the key and registers a
   * device carrying its tags. Throws as the control server would refuse.
   */
  join(key: string, hostname: string, advertisedRoutes: string[] = []): FakeDevice {
    const k = [...this.keys.values()].find((x) => x.key === key);
    if (!k || k.revoked) throw new Error('invalid key: unable to validate API key');
    if (Date.parse(k.expires) < Date.now()) throw new Error('invalid key: key expired');
    const c = k.capabilities.devices.create;
    if (k.used && !c.reusable) throw new Error('invalid key: key has already been used');
    k.used = true;
    const n = this.seq++;
    const d: FakeDevice = {
      id: String(9_000_000_000 + n),
      nodeId: `n${randomBytes(6).toString('hex')}CNTRL`,
      name: `${hostname}.${TAILNET.replace('.', '-')}.ts.net`,
      hostname,
      addresses: [`100.64.0.${n % 250}`, `fd7a:115c:a1e0::${n.toString(16)}`],
      os: 'linux',
      created: new Date().toISOString(),
      lastSeen: new Date().toISOString(),
      authorized: c.preauthorized,
      ephemeral: c.ephemeral,
      tags: [...c.tags],
      connectedToControl: true,
      advertisedRoutes: [...advertisedRoutes],
      enabledRoutes: [],
    };
    this.devices.set(d.id, d);
    return d;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const fault = this.takeFault(method, path);
    const record = (status: number) => this.requests.push({ method, path, at: Date.now(), status });

    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault && !fault.afterCommit) {
      if (fault.drop) {
        record(0);
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        record(fault.status);
        return send(res, fault.status, fault.body ?? { message: 'injected failure' }, fault.retryAfter);
      }
    }
    const [status, payload] = this.route(method, path, url.searchParams, body, req.headers.authorization);
    if (fault?.afterCommit) {
      record(fault.drop ? 0 : (fault.status ?? 502));
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      return send(res, fault.status ?? 502, fault.body ?? { message: 'bad gateway' }, fault.retryAfter);
    }
    record(status);
    send(res, status, payload);
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        f.times > 0 &&
        (!f.method || f.method === method) &&
        (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
    );
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.times--;
    if (f.times === 0) this.faults.splice(i, 1);
    return f;
  }

  private route(
    method: string,
    path: string,
    q: URLSearchParams,
    raw: string,
    auth: string | undefined,
  ): [number, unknown] {
    if (method === 'POST' && path === '/api/v2/oauth/token') return this.token(raw, auth);

    const client = this.authenticate(auth);
    if (!client) return [401, { message: 'API token invalid' }];
    let m: RegExpExecArray | null;

    if ((m = /^\/api\/v2\/tailnet\/([^/]+)\/keys$/.exec(path))) {
      if (!this.tailnetOk(m[1])) return [404, { message: 'tailnet not found' }];
      if (method === 'POST') {
        if (!hasScope(client, 'auth_keys'))
          return [
            403,
            { message: 'calling actor does not have enough permissions to perform this function' },
          ];
        return this.createKey(client, raw);
      }
      if (method === 'GET') {
        if (!hasScope(client, 'auth_keys', true))
          return [
            403,
            { message: 'calling actor does not have enough permissions to perform this function' },
          ];
        return [200, { keys: [...this.keys.values()].filter((k) => !k.revoked).map(publicKey) }];
      }
    }
    if ((m = /^\/api\/v2\/tailnet\/([^/]+)\/keys\/([^/]+)$/.exec(path))) {
      if (!this.tailnetOk(m[1])) return [404, { message: 'tailnet not found' }];
      const k = this.keys.get(decodeURIComponent(m[2]));
      if (!k || k.revoked) return [404, { message: 'key not found' }];
      if (method === 'GET') return [200, publicKey(k)];
      if (method === 'DELETE') {
        if (!hasScope(client, 'auth_keys'))
          return [
            403,
            { message: 'calling actor does not have enough permissions to perform this function' },
          ];
        k.revoked = new Date().toISOString();
        return [200, {}];
      }
    }
    if ((m = /^\/api\/v2\/tailnet\/([^/]+)\/devices$/.exec(path)) && method === 'GET') {
      if (!this.tailnetOk(m[1])) return [404, { message: 'tailnet not found' }];
      if (!hasScope(client, 'devices:core', true))
        return [403, { message: 'calling actor does not have enough permissions to perform this function' }];
      const all = q.get('fields') === 'all';
      return [200, { devices: [...this.devices.values()].map((d) => deviceView(d, all)) }];
    }
    if ((m = /^\/api\/v2\/device\/([^/]+)$/.exec(path))) {
      const d = this.findDevice(decodeURIComponent(m[1]));
      if (!d) return [404, { message: 'device not found' }];
      if (method === 'GET') return [200, deviceView(d, q.get('fields') === 'all')];
      if (method === 'DELETE') {
        if (!hasScope(client, 'devices:core'))
          return [
            403,
            { message: 'calling actor does not have enough permissions to perform this function' },
          ];
        this.devices.delete(d.id);
        return [200, {}];
      }
    }
    if ((m = /^\/api\/v2\/device\/([^/]+)\/routes$/.exec(path))) {
      const d = this.findDevice(decodeURIComponent(m[1]));
      if (!d) return [404, { message: 'device not found' }];
      if (method === 'GET')
        return [200, { advertisedRoutes: d.advertisedRoutes, enabledRoutes: d.enabledRoutes }];
      if (method === 'POST') {
        if (!hasScope(client, 'devices:routes'))
          return [
            403,
            { message: 'calling actor does not have enough permissions to perform this function' },
          ];
        const b = parseJson(raw) as { routes?: unknown } | undefined;
        if (!b || !Array.isArray(b.routes))
          return [400, { message: 'invalid request body: routes must be a list' }];
        for (const r of b.routes)
          if (typeof r !== 'string' || !isCidr(r))
            return [400, { message: `invalid route ${JSON.stringify(r)}` }];
        d.enabledRoutes = [...(b.routes as string[])];
        return [200, { advertisedRoutes: d.advertisedRoutes, enabledRoutes: d.enabledRoutes }];
      }
    }
    return [404, { message: 'not found' }];
  }

  private token(raw: string, auth: string | undefined): [number, unknown] {
    const form = new URLSearchParams(raw);
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    if (auth?.startsWith('Basic ')) {
      const [u, p] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
      id = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p ?? '');
    }
    if (id === '' || secret === '')
      return [400, { error: 'invalid_request', error_description: 'client credentials missing' }];
    const c = this.clients.find((x) => x.id === id && x.secret === secret);
    if (!c) return [401, { error: 'invalid_client', error_description: 'invalid client credentials' }];
    const token = `tskey-api-${randomBytes(6).toString('hex')}-${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, { client: c, expires: Date.now() + 3600_000 });
    return [200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: c.scopes.join(' ') }];
  }

  /** Revokes every access token (as an admin deleting the OAuth client's tokens would). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  private authenticate(auth: string | undefined): FakeOAuthClient | undefined {
    if (!auth) return undefined;
    let token = '';
    if (auth.startsWith('Bearer ')) token = auth.slice(7);
    else if (auth.startsWith('Basic ')) token = Buffer.from(auth.slice(6), 'base64').toString().split(':')[0];
    const t = this.tokens.get(token);
    if (!t || t.expires < Date.now()) return undefined;
    return t.client;
  }

  private tailnetOk(t: string): boolean {
    return t === '-' || decodeURIComponent(t) === TAILNET;
  }

  private findDevice(id: string): FakeDevice | undefined {
    return this.devices.get(id) ?? [...this.devices.values()].find((d) => d.nodeId === id);
  }

  private owns(clientTags: string[], tag: string): boolean {
    return clientTags.includes(tag) || (this.tagOwners[tag] ?? []).some((o) => clientTags.includes(o));
  }

  private createKey(client: FakeOAuthClient, raw: string): [number, unknown] {
    const b = parseJson(raw) as
      | {
          capabilities?: { devices?: { create?: Partial<FakeKey['capabilities']['devices']['create']> } };
          expirySeconds?: number;
          description?: string;
        }
      | undefined;
    const create = b?.capabilities?.devices?.create;
    if (!b || !create)
      return [400, { message: 'invalid request body: capabilities.devices.create is required' }];
    const tags = create.tags ?? [];
    if (tags.length === 0)
      return [400, { message: 'tags are required for auth keys created by an OAuth client' }];
    const bad = tags.filter((t) => !/^tag:[A-Za-z0-9-]+$/.test(t) || !this.owns(client.tags, t));
    if (bad.length > 0)
      return [400, { message: `requested tags [${bad.join(' ')}] are invalid or not permitted` }];
    const description = b.description ?? '';
    if (!/^[A-Za-z0-9 -]{0,50}$/.test(description)) {
      return [400, { message: 'description must be at most 50 alphanumeric characters, hyphens or spaces' }];
    }
    const expiry = b.expirySeconds ?? 90 * 86400;
    if (!Number.isInteger(expiry) || expiry < 0 || expiry > 90 * 86400)
      return [400, { message: 'invalid expirySeconds' }];
    const id = `k${randomBytes(6).toString('hex')}CNTRL`;
    const k: FakeKey = {
      id,
      key: `tskey-auth-${id}-${randomBytes(20).toString('hex')}`,
      description,
      created: new Date().toISOString(),
      expires: new Date(Date.now() + expiry * 1000).toISOString(),
      used: false,
      capabilities: {
        devices: {
          create: {
            reusable: Boolean(create.reusable),
            ephemeral: Boolean(create.ephemeral),
            preauthorized: Boolean(create.preauthorized),
            tags: [...tags],
          },
        },
      },
    };
    this.keys.set(id, k);
    return [200, { ...publicKey(k), key: k.key }];
  }
}

function hasScope(c: FakeOAuthClient, scope: string, read = false): boolean {
  return c.scopes.includes('all') || c.scopes.includes(scope) || (read && c.scopes.includes(`${scope}:read`));
}

/** A key as GET shows it: everything but the secret. */
function publicKey(k: FakeKey): Omit<FakeKey, 'key' | 'used'> {
  const { key: _key, used: _used, ...rest } = k;
  return rest;
}

/** Routes and connectivity only with fields=all, as the API does. */
function deviceView(d: FakeDevice, all: boolean): Partial<FakeDevice> {
  const { advertisedRoutes, enabledRoutes, connectedToControl, ...base } = d;
  return all ? { ...base, advertisedRoutes, enabledRoutes, connectedToControl } : base;
}

function isCidr(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (m) return m.slice(1, 5).every((x) => Number(x) <= 255) && Number(m[5]) <= 32;
  return /^[0-9a-f:]+\/\d{1,3}$/i.test(s);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', () => resolve(''));
  });
}

function send(res: ServerResponse, status: number, body: unknown, retryAfter?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}
