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
  type RequestOptions,
  type HttpResult,
} from './http.js';

/**
 * TailnetControl adapter for the Tailscale API v2, authenticated with an OAuth client (client
 * credentials grant). Keys it mints are per environment: single-use, ephemeral, pre-authorized, tagged.
 */

export const TAILSCALE_API_URL = 'https://api.tailscale.com/api/v2';

export interface TailscaleApiOptions {
  oauthClientId: string;
  oauthSecret: string;
  /** Default https://api.tailscale.com/api/v2 (tests point it at the fake). */
  baseUrl?: string;
  /** Default "-" = the tailnet of the OAuth client. */
  tailnet?: string;
  http?: Omit<HttpClientOptions, 'baseUrl' | 'name'>;
}

/** The description rule of the keys API: at most 50 characters of letters, digits, hyphens, spaces. */
export function isValidKeyDescription(d: string): boolean {
  return /^[A-Za-z0-9 -]{0,50}$/.test(d);
}

interface ApiDevice {
  id?: string;
  nodeId?: string;
  hostname?: string;
  name?: string;
  addresses?: string[];
  tags?: string[];
  advertisedRoutes?: string[];
  enabledRoutes?: string[];
  connectedToControl?: boolean;
}

interface ApiKey {
  id: string;
  key?: string;
  description?: string;
  expires?: string;
  revoked?: string;
  invalid?: boolean;
}

const CREATE_ROUNDS = 3;

export class TailscaleApi implements TailnetControl {
  readonly kind = 'tailscale' as const;
  readonly loginServer = undefined;
  private readonly http: HttpClient;
  private readonly tailnet: string;
  private token?: { value: string; expiresAt: number };

  constructor(private readonly opts: TailscaleApiOptions) {
    this.http = new HttpClient({
      ...opts.http,
      baseUrl: opts.baseUrl ?? TAILSCALE_API_URL,
      name: 'Tailscale API',
    });
    this.tailnet = encodeURIComponent(opts.tailnet ?? '-');
  }

  /** An access token from the OAuth client, cached until shortly before it expires. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
    let r: HttpResult;
    try {
      r = await this.http.request('POST', '/oauth/token', {
        form: {
          grant_type: 'client_credentials',
          client_id: this.opts.oauthClientId,
          client_secret: this.opts.oauthSecret,
        },
      });
    } catch (e) {
      if (e instanceof HttpStatusError && (e.status === 400 || e.status === 401)) {
        throw new TailnetApiError(
          `Tailscale refused the OAuth client credentials (${e.status} ${e.serverMessage}). ` +
            'Fix: check the inputs oauth-client-id and oauth-secret — the secret (tskey-client-…) must belong to ' +
            'that client, which must not be deleted, and needs the auth_keys, devices:core and devices:routes scopes.',
          e.status,
        );
      }
      throw wrap(e);
    }
    const b = r.body as { access_token?: string; expires_in?: number } | undefined;
    if (!b?.access_token) throw new TailnetApiError('Tailscale OAuth token response carried no access_token');
    const ttl = Math.max(60, Number(b.expires_in ?? 3600));
    this.token = { value: b.access_token, expiresAt: Date.now() + (ttl - 60) * 1000 };
    return b.access_token;
  }

  /** An authenticated call; a 401 with a cached token refreshes it once (it may have been revoked). */
  private async call(method: string, path: string, ro: RequestOptions = {}): Promise<HttpResult> {
    for (let round = 0; ; round++) {
      const token = await this.accessToken();
      try {
        return await this.http.request(method, path, {
          ...ro,
          headers: { ...ro.headers, authorization: `Bearer ${token}` },
        });
      } catch (e) {
        if (e instanceof HttpStatusError && e.status === 401 && round === 0) {
          this.token = undefined;
          continue;
        }
        if (e instanceof HttpStatusError && e.status === 403) {
          throw new TailnetApiError(
            `${e.message}. Fix: give the OAuth client (oauth-client-id) the scopes auth_keys, devices:core and ` +
              'devices:routes (write access).',
            403,
          );
        }
        throw e;
      }
    }
  }

  async createAuthKey(req: AuthKeyRequest): Promise<AuthKey> {
    if (!isValidKeyDescription(req.description)) {
      throw new TailnetApiError(
        `auth key description ${JSON.stringify(req.description)} is not allowed: at most 50 letters, digits, hyphens or spaces`,
      );
    }
    const payload = {
      capabilities: {
        devices: {
          create: {
            reusable: req.reusable,
            ephemeral: req.ephemeral,
            preauthorized: req.preauthorized,
            tags: req.tags,
          },
        },
      },
      expirySeconds: req.expirySeconds,
      description: req.description,
    };
    return createKeyWithoutStrays({
      what: 'a Tailscale auth key',
      rounds: CREATE_ROUNDS,
      attempt: async () => {
        try {
          const r = await this.call('POST', `/tailnet/${this.tailnet}/keys`, {
            json: payload,
            safety: 'create',
          });
          const b = r.body as ApiKey | undefined;
          if (!b?.id || !b.key)
            throw new TailnetApiError('Tailscale API created a key but returned no id or key');
          return { id: b.id, key: b.key, expires: b.expires };
        } catch (e) {
          throw e instanceof AmbiguousRequestError ? e : tagAware(e, req.tags);
        }
      },
      isAmbiguous: (e) => e instanceof AmbiguousRequestError,
      // The key may exist although we never saw it. Its secret is shown only once, so it is of no
      // use: revoke whatever carries our description before asking for a new one.
      cleanUp: async () => {
        await this.revokeByDescription(req.description).catch((le) => {
          throw wrap(le);
        });
      },
    });
  }

  /** Keys visible to the OAuth client (without their secrets). */
  async listKeys(): Promise<{ id: string; description?: string; revoked: boolean }[]> {
    const r = await this.call('GET', `/tailnet/${this.tailnet}/keys`);
    const keys = ((r.body as { keys?: ApiKey[] } | undefined)?.keys ?? []).filter(
      (k) => typeof k.id === 'string',
    );
    const out: { id: string; description?: string; revoked: boolean }[] = [];
    for (const k of keys) {
      let full = k;
      // Some list answers carry ids only; the description is then read key by key.
      if (k.description === undefined) {
        const g = await this.call('GET', `/tailnet/${this.tailnet}/keys/${encodeURIComponent(k.id)}`, {
          accept: [404],
        });
        if (g.status === 404) continue;
        full = g.body as ApiKey;
      }
      out.push({
        id: full.id,
        description: full.description,
        revoked: Boolean(full.revoked) || full.invalid === true,
      });
    }
    return out;
  }

  private async revokeByDescription(description: string): Promise<void> {
    for (const k of await this.listKeys()) {
      if (k.description === description && !k.revoked) await this.revokeAuthKey(k.id);
    }
  }

  async revokeAuthKey(id: string): Promise<void> {
    await this.call('DELETE', `/tailnet/${this.tailnet}/keys/${encodeURIComponent(id)}`, {
      accept: [404],
    }).catch((e) => {
      throw wrap(e);
    });
  }

  async findNodes(filter: NodeFilter): Promise<TailnetNode[]> {
    const r = await this.call('GET', `/tailnet/${this.tailnet}/devices?fields=all`).catch((e) => {
      throw wrap(e);
    });
    const devices = (r.body as { devices?: ApiDevice[] } | undefined)?.devices ?? [];
    return devices.map(toNode).filter((n) => nodeMatches(n, filter));
  }

  async getRoutes(nodeId: string): Promise<{ advertisedRoutes: string[]; enabledRoutes: string[] }> {
    const r = await this.call('GET', `/device/${encodeURIComponent(nodeId)}/routes`).catch((e) => {
      throw wrap(e);
    });
    const b = (r.body ?? {}) as { advertisedRoutes?: string[]; enabledRoutes?: string[] };
    return { advertisedRoutes: b.advertisedRoutes ?? [], enabledRoutes: b.enabledRoutes ?? [] };
  }

  /** POST routes replaces the enabled set, so sending it again is harmless (safe to retry). */
  async approveRoutes(nodeId: string, routes: string[]): Promise<void> {
    await this.call('POST', `/device/${encodeURIComponent(nodeId)}/routes`, { json: { routes } }).catch(
      (e) => {
        throw wrap(e);
      },
    );
  }

  async deleteNode(nodeId: string): Promise<void> {
    await this.call('DELETE', `/device/${encodeURIComponent(nodeId)}`, { accept: [404] }).catch((e) => {
      throw wrap(e);
    });
  }
}

function toNode(d: ApiDevice): TailnetNode {
  return {
    id: d.nodeId ?? d.id ?? '',
    // `hostname` is what the node registered with; `name` is the MagicDNS name (host.tailnet.ts.net).
    hostname: d.hostname ?? (d.name ?? '').split('.')[0],
    addresses: d.addresses ?? [],
    tags: d.tags ?? [],
    online: typeof d.connectedToControl === 'boolean' ? d.connectedToControl : undefined,
    advertisedRoutes: d.advertisedRoutes ?? [],
    enabledRoutes: d.enabledRoutes ?? [],
  };
}

/** Turns the API's tag refusal into a message that names the input and the fix. */
function tagAware(e: unknown, tags: string[]): Error {
  if (e instanceof HttpStatusError && e.status === 400 && /tag/i.test(e.serverMessage)) {
    return new TailnetApiError(
      `Tailscale refused the tags ${JSON.stringify(tags)} from the input tags: "${e.serverMessage}". ` +
        'Fix: the OAuth client (oauth-client-id) must have been created with these tags (or tags that own ' +
        'them), and the tailnet policy file must declare each one in tagOwners, e.g. ' +
        '"tagOwners": {"tag:ci": ["autogroup:admin"]}.',
      400,
    );
  }
  return wrap(e);
}

function wrap(e: unknown): Error {
  if (e instanceof TailnetApiError) return e;
  if (e instanceof HttpStatusError) return new TailnetApiError(e.message, e.status);
  if (e instanceof HttpNetworkError) return new TailnetApiError(e.message, undefined, true);
  return e instanceof Error ? e : new Error(String(e));
}
