import type { ConfigSource, RenderedFile } from './types.js';

/** Everything a DHCP server config needs, from the plan. */
export interface DhcpFacts {
  id: string;
  vlanIf: string;
  /** The hub's VLAN address (the router handed out). */
  hubIp: string;
  subnet: string;
  network: string;
  netmask: string;
  rangeStart: string;
  rangeEnd: string;
  router: string;
  dnsServers: string[];
  leaseSeconds: number;
  maxLeaseSeconds: number;
  /** The hub answers DNS on its VLAN address (it is one of the planned DNS servers). */
  hubServesDns: boolean;
}

export function dhcpFacts(src: ConfigSource, hubIp: string): DhcpFacts {
  const n = src.network;
  return {
    id: src.id,
    vlanIf: n.vlan.interface,
    hubIp,
    subnet: n.subnet,
    network: n.subnet.split('/')[0],
    netmask: n.netmask,
    rangeStart: n.dhcpRange.start,
    rangeEnd: n.dhcpRange.end,
    router: n.gateway,
    dnsServers: [...n.dnsServers],
    leaseSeconds: n.leaseTimeSeconds,
    maxLeaseSeconds: n.maxLeaseTimeSeconds,
    hubServesDns: n.dnsServers.includes(hubIp),
  };
}

export const DNSMASQ_DHCP_CONF = '/etc/lm-env/dnsmasq.conf';
export const DNSMASQ_DNS_CONF = '/etc/lm-env/dnsmasq-dns.conf';
export const UPSTREAM_RESOLV = '/etc/lm-env/upstream.resolv';
export const DNSMASQ_LEASES = '/var/lib/misc/lm-env-dnsmasq.leases';
export const KEA_CONF = '/etc/kea/kea-dhcp4.conf';
export const KEA_LEASES = '/var/lib/kea/kea-leases4.csv';
export const DHCPD_CONF = '/etc/dhcp/dhcpd.conf';
export const DHCPD_DEFAULTS = '/etc/default/isc-dhcp-server';
export const DHCPD_LEASES = '/var/lib/dhcp/dhcpd.leases';

/** Caching forwarder settings shared by both dnsmasq flavours (upstreams come from the hub itself). */
function dnsLines(): string[] {
  return [
    `resolv-file=${UPSTREAM_RESOLV}`,
    // the hub's /etc/hosts (127.0.1.1 for its own name, …) means nothing to a microVM
    'no-hosts',
    'domain-needed',
    'bogus-priv',
    'cache-size=1000',
  ];
}

/** dnsmasq serving DHCP on the VLAN, and DNS on the hub's VLAN address when the hub is a DNS server. */
export function dnsmasqDhcpConf(f: DhcpFacts): RenderedFile {
  const lines = [
    `# Managed by lm-env (${f.id}): DHCP${f.hubServesDns ? ' and DNS' : ''} for the VLAN ${f.vlanIf}.`,
    `interface=${f.vlanIf}`,
    // --interface would add the loopback; the hub's own resolver setup is not ours to shadow
    'except-interface=lo',
    // follows the interface if it appears or gets its address after dnsmasq started (boot order)
    'bind-dynamic',
    ...(f.hubServesDns ? ['port=53', ...dnsLines()] : ['port=0']),
    `dhcp-range=${f.rangeStart},${f.rangeEnd},${f.netmask},${f.leaseSeconds}`,
    `dhcp-option=option:router,${f.router}`,
    `dhcp-option=option:dns-server,${f.dnsServers.join(',')}`,
    'dhcp-authoritative',
    `dhcp-leasefile=${DNSMASQ_LEASES}`,
    'pid-file=/run/lm-env-dnsmasq.pid',
    'log-facility=-',
  ];
  return { path: DNSMASQ_DHCP_CONF, content: lines.join('\n') + '\n', mode: '644', item: 'dhcp-config' };
}

/** dnsmasq answering DNS only (next to Kea or isc-dhcp-server), on the hub's VLAN address. */
export function dnsmasqDnsConf(f: DhcpFacts): RenderedFile {
  const lines = [
    `# Managed by lm-env (${f.id}): DNS (caching forwarder) for the VLAN ${f.vlanIf}; no DHCP.`,
    `listen-address=${f.hubIp}`,
    'bind-dynamic',
    'port=53',
    ...dnsLines(),
    'pid-file=/run/lm-env-dns.pid',
    'log-facility=-',
  ];
  return { path: DNSMASQ_DNS_CONF, content: lines.join('\n') + '\n', mode: '644', item: 'dns-config' };
}

export function keaConf(f: DhcpFacts): RenderedFile {
  const conf = {
    Dhcp4: {
      'interfaces-config': { interfaces: [f.vlanIf], 'dhcp-socket-type': 'raw' },
      'lease-database': { type: 'memfile', persist: true, name: KEA_LEASES, 'lfc-interval': 3600 },
      authoritative: true,
      'valid-lifetime': f.leaseSeconds,
      'max-valid-lifetime': f.maxLeaseSeconds,
      subnet4: [
        {
          id: 1,
          subnet: f.subnet,
          pools: [{ pool: `${f.rangeStart} - ${f.rangeEnd}` }],
          'option-data': [
            { name: 'routers', data: f.router },
            { name: 'domain-name-servers', data: f.dnsServers.join(', ') },
          ],
        },
      ],
      loggers: [{ name: 'kea-dhcp4', output_options: [{ output: 'stdout' }], severity: 'INFO' }],
    },
  };
  return {
    path: KEA_CONF,
    content: `// Managed by lm-env (${f.id}): DHCP for the VLAN ${f.vlanIf}.\n${JSON.stringify(conf, null, 2)}\n`,
    mode: '644',
    item: 'dhcp-config',
  };
}

export function dhcpdConf(f: DhcpFacts): RenderedFile {
  const content = `# Managed by lm-env (${f.id}): DHCP for the VLAN ${f.vlanIf}.
default-lease-time ${f.leaseSeconds};
max-lease-time ${f.maxLeaseSeconds};
authoritative;
ddns-update-style none;

subnet ${f.network} netmask ${f.netmask} {
  range ${f.rangeStart} ${f.rangeEnd};
  option routers ${f.router};
  option domain-name-servers ${f.dnsServers.join(', ')};
}
`;
  return { path: DHCPD_CONF, content, mode: '644', item: 'dhcp-config' };
}

export function dhcpdDefaults(f: DhcpFacts): RenderedFile {
  const content = `# Managed by lm-env (${f.id}); read by isc-dhcp-server's init script.
INTERFACESv4="${f.vlanIf}"
INTERFACESv6=""
`;
  return { path: DHCPD_DEFAULTS, content, mode: '644', item: 'dhcp-config' };
}
