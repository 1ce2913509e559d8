/**
 * `tailscale status --json` answers built from the fields ipnstate.Status / PeerStatus document
 * (Peer is keyed by node public key; PrimaryRoutes is omitted until a route is approved).
 */

function peer(hostname: string, ip: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ID: `n${hostname.length}CNTRL`,
    NodeID: 7,
    PublicKey: `nodekey:${hostname.padEnd(64, '0').slice(0, 64)}`,
    HostName: hostname,
    DNSName: `${hostname}.tail1234.ts.net.`,
    OS: 'linux',
    UserID: 123,
    TailscaleIPs: [ip, 'fd7a:115c:a1e0::1'],
    AllowedIPs: [`${ip}/32`, 'fd7a:115c:a1e0::1/128'],
    Tags: ['tag:lm-hub'],
    Addrs: null,
    CurAddr: '',
    Relay: 'lab',
    RxBytes: 0,
    TxBytes: 0,
    Created: '2026-11-27T10:00:00Z',
    LastWrite: '0001-01-01T00:00:00Z',
    LastSeen: '0001-01-01T00:00:00Z',
    LastHandshake: '0001-01-01T00:00:00Z',
    Online: true,
    ExitNode: false,
    ExitNodeOption: false,
    Active: false,
    InNetworkMap: true,
    InMagicSock: true,
    InEngine: true,
    ...extra,
  };
}

export function statusSample(opts: {
  backendState?: string;
  hubOnline?: boolean;
  primaryRoutes?: string[] | null;
}): Record<string, unknown> {
  const hubExtra: Record<string, unknown> = { Online: opts.hubOnline ?? true };
  if (opts.primaryRoutes) {
    hubExtra.PrimaryRoutes = opts.primaryRoutes;
    hubExtra.AllowedIPs = ['100.64.0.1/32', 'fd7a:115c:a1e0::1/128', ...opts.primaryRoutes];
  }
  return {
    Version: '1.100.0-lm-env',
    TUN: true,
    BackendState: opts.backendState ?? 'Running',
    HaveNodeKey: true,
    AuthURL: '',
    TailscaleIPs: ['100.64.0.2', 'fd7a:115c:a1e0::2'],
    Self: peer('github-runner-1', '100.64.0.2', { Tags: ['tag:ci'] }),
    Health: [],
    MagicDNSSuffix: 'tail1234.ts.net',
    CurrentTailnet: { Name: 'example.com', MagicDNSSuffix: 'tail1234.ts.net', MagicDNSEnabled: true },
    CertDomains: null,
    Peer: {
      'nodekey:aaaa': peer('lm-3f9c2a-hub', '100.64.0.1', hubExtra),
      'nodekey:bbbb': peer('other-node', '100.64.0.9', { Online: false, Tags: ['tag:ci'] }),
    },
    User: null,
    ClientVersion: null,
  };
}

export const TABLE_52 = `100.64.0.1 dev tailscale0
100.100.100.100 dev tailscale0
192.168.1.0/25 dev tailscale0
throw 127.0.0.0/8
throw 192.168.0.0/24
`;
