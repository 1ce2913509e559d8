/**
 * The TailnetControl port: what join-tailscale and teardown need from a control server. One adapter
 * talks to the Tailscale API v2 (SaaS), others to headscale (lab and self-hosted), so the join logic
 * is written once.
 */

/** A node (device) as the control server sees it. */
export interface TailnetNode {
  /** The id the control server's delete/route calls take (Tailscale: device id; headscale: node id). */
  id: string;
  /** The hostname the node registered with (`tailscale up --hostname`). */
  hostname: string;
  /** Tailscale addresses (100.x and fd7a:…). */
  addresses: string[];
  tags: string[];
  /** Connected to the control plane; undefined when the server does not say. */
  online?: boolean;
  /** Routes the node advertises (`--advertise-routes`). */
  advertisedRoutes: string[];
  /** Routes approved for it (Tailscale: enabledRoutes; headscale: approved_routes). */
  enabledRoutes: string[];
}

export interface AuthKeyRequest {
  /**
   * Marks the key as ours and acts as an idempotency key: after an ambiguous create the adapter
   * looks for a key with this description before creating another. ≤ 50 characters.
   */
  description: string;
  tags: string[];
  /** Nodes joined with it are removed when they go offline (or log out). */
  ephemeral: boolean;
  /** Usable more than once. Per-environment keys are single-use: false. */
  reusable: boolean;
  /** Nodes need no admin approval. */
  preauthorized: boolean;
  expirySeconds: number;
}

export interface AuthKey {
  /** Id for revoking it (never secret). */
  id: string;
  /** The key itself: a secret, shown once. Mask it before anything may log it. */
  key: string;
  /** RFC 3339, when the server says. */
  expires?: string;
}

export interface NodeFilter {
  hostname?: string;
  /** e.g. "tag:lm-hub" */
  tag?: string;
}

export interface TailnetControl {
  readonly kind: 'tailscale' | 'headscale';
  /** Value for `tailscale up --login-server`; undefined = Tailscale's default control server. */
  readonly loginServer?: string;
  createAuthKey(req: AuthKeyRequest): Promise<AuthKey>;
  /** Revokes (or expires) a key. A key that is already gone counts as done. */
  revokeAuthKey(id: string): Promise<void>;
  findNodes(filter: NodeFilter): Promise<TailnetNode[]>;
  /** Sets the approved routes of a node to exactly `routes` (replaces the set). */
  approveRoutes(nodeId: string, routes: string[]): Promise<void>;
  /** Deletes a node. A node that is already gone counts as done. */
  deleteNode(nodeId: string): Promise<void>;
}

/** Error from a control server, with what to do about it. `status` is the HTTP status when there was one. */
export class TailnetApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'TailnetApiError';
  }
}

/** Matches a node against a filter: hostname exactly (case-insensitive, as DNS), tag exactly. */
export function nodeMatches(node: TailnetNode, filter: NodeFilter): boolean {
  if (filter.hostname !== undefined && node.hostname.toLowerCase() !== filter.hostname.toLowerCase())
    return false;
  if (filter.tag !== undefined && !node.tags.includes(filter.tag)) return false;
  return true;
}

/**
 * Creates an auth key without leaving a stray one behind. Creates are not idempotent: after an
 * ambiguous failure (the server may have made the key, but we never saw its secret) `cleanUp`
 * revokes whatever may be ours before the next attempt. Other errors end it at once.
 */
export async function createKeyWithoutStrays(o: {
  what: string;
  rounds: number;
  attempt: () => Promise<AuthKey>;
  isAmbiguous: (e: unknown) => boolean;
  cleanUp: (sinceMs: number) => Promise<void>;
}): Promise<AuthKey> {
  let last = '';
  for (let round = 1; round <= o.rounds; round++) {
    const since = Date.now();
    try {
      return await o.attempt();
    } catch (e) {
      if (!o.isAmbiguous(e)) throw e;
      last = (e as Error).message;
      await o.cleanUp(since);
    }
  }
  throw new TailnetApiError(`could not create ${o.what} after ${o.rounds} attempts: ${last}`);
}
