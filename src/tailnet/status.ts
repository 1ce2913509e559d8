/**
 * Pure parsers for what the Tailscale CLI and iproute2 print, and the readiness rule for a subnet
 * route: the hub peer is Online with the subnet in PrimaryRoutes (omitted until approved), and the
 * subnet is in routing table 52 (tailscale/github-action#266: status alone can look fine without it).
 */

export interface PeerInfo {
  id: string;
  hostname: string;
  dnsName: string;
  online: boolean;
  tailscaleIps: string[];
  primaryRoutes: string[];
  allowedIps: string[];
  tags: string[];
}

export interface TailscaleStatus {
  /** NoState | NeedsLogin | NeedsMachineAuth | Stopped | Starting | Running */
  backendState: string;
  self?: PeerInfo;
  peers: PeerInfo[];
  health: string[];
  authUrl?: string;
  tailscaleIps: string[];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function peer(raw: unknown): PeerInfo {
  const p = (raw ?? {}) as Record<string, unknown>;
  return {
    id: typeof p.ID === 'string' ? p.ID : '',
    hostname: typeof p.HostName === 'string' ? p.HostName : '',
    dnsName: typeof p.DNSName === 'string' ? p.DNSName : '',
    online: p.Online === true,
    tailscaleIps: strings(p.TailscaleIPs),
    primaryRoutes: strings(p.PrimaryRoutes),
    allowedIps: strings(p.AllowedIPs),
    tags: strings(p.Tags),
  };
}

/** Parses `tailscale status --json`. Throws with the start of the text when it is not that JSON. */
export function parseStatusJson(text: string): TailscaleStatus {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`tailscale status --json printed no JSON: ${text.trim().slice(0, 200)}`);
  }
  if (
    !raw ||
    typeof raw !== 'object' ||
    typeof (raw as { BackendState?: unknown }).BackendState !== 'string'
  ) {
    throw new Error('tailscale status --json: no BackendState in the answer');
  }
  const s = raw as Record<string, unknown>;
  const peers = s.Peer && typeof s.Peer === 'object' ? Object.values(s.Peer as object).map(peer) : [];
  return {
    backendState: s.BackendState as string,
    self: s.Self ? peer(s.Self) : undefined,
    peers,
    health: strings(s.Health),
    authUrl: typeof s.AuthURL === 'string' && s.AuthURL !== '' ? s.AuthURL : undefined,
    tailscaleIps: strings(s.TailscaleIPs),
  };
}

/** The peer whose hostname (or first DNS label) is `hostname`, case-insensitively. */
export function findPeer(status: TailscaleStatus, hostname: string): PeerInfo | undefined {
  const h = hostname.toLowerCase();
  return status.peers.find(
    (p) => p.hostname.toLowerCase() === h || p.dnsName.toLowerCase().split('.')[0] === h,
  );
}

export interface Readiness {
  ready: boolean;
  /** Why not (or "ready"), for progress logs and the final error. */
  reason: string;
}

/** Whether `tailscale status` shows the subnet route live through the hub. */
export function routeReadiness(status: TailscaleStatus, hubHostname: string, subnet: string): Readiness {
  if (status.backendState !== 'Running') return { ready: false, reason: `backend is ${status.backendState}` };
  const hub = findPeer(status, hubHostname);
  if (!hub) return { ready: false, reason: `hub ${hubHostname} is not among the peers` };
  if (!hub.online) return { ready: false, reason: `hub ${hubHostname} is not online` };
  if (!hub.primaryRoutes.includes(subnet)) {
    return {
      ready: false,
      reason: `hub ${hubHostname} does not serve ${subnet} yet (route not approved or not advertised)`,
    };
  }
  return { ready: true, reason: 'ready' };
}

/** Whether `ip route show table 52` lists `subnet` (a /32 is printed as a bare address). */
export function routeInTable52(ipRouteOutput: string, subnet: string): boolean {
  const bare = subnet.endsWith('/32') ? subnet.slice(0, -3) : undefined;
  return ipRouteOutput.split('\n').some((line) => {
    const dest = line.trim().split(/\s+/)[0];
    return dest === subnet || (bare !== undefined && dest === bare);
  });
}
