import { contains, parseSubnet, toNumber, type Subnet } from '../env/addr.js';
import type { NetworkPlan } from '../env/plan.js';

export interface ObservedLease {
  /** Address in CIDR form (a.b.c.d/nn) or bare. */
  address: string;
  gateway?: string;
  nameservers?: string[];
}

/** Compares a probe's lease with the plan; returns what is wrong (empty = as planned). Pure. */
export function leaseProblems(network: NetworkPlan, lease: ObservedLease): string[] {
  const problems: string[] = [];
  const [ip, prefix] = lease.address.split('/');
  const sub = parseSubnet(network.subnet) as Subnet;
  if (!contains(sub, ip)) {
    problems.push(`address ${ip} is outside ${network.subnet}`);
  } else {
    const n = toNumber(ip);
    if (n < toNumber(network.dhcpRange.start) || n > toNumber(network.dhcpRange.end)) {
      problems.push(`address ${ip} is outside the pool ${network.dhcpRange.start}-${network.dhcpRange.end}`);
    }
  }
  if (prefix !== undefined && Number(prefix) !== network.prefixLength) {
    problems.push(`prefix /${prefix} differs from the subnet's /${network.prefixLength}`);
  }
  if (lease.gateway !== undefined && lease.gateway !== network.gateway) {
    problems.push(`router ${lease.gateway || '(none)'} is not the gateway ${network.gateway}`);
  }
  if (lease.nameservers !== undefined) {
    const want = network.dnsServers.join(',');
    const got = lease.nameservers.join(',');
    if (want !== got) problems.push(`DNS servers ${got || '(none)'} differ from the planned ${want}`);
  }
  return problems;
}

/**
 * Finds a MAC's address in a DHCP server's lease database (for flintlock hosts that do not report
 * leases themselves). Pure; understands dnsmasq, Kea memfile CSV and isc-dhcpd lease files.
 */
export function addressForMac(
  kind: 'dnsmasq' | 'kea' | 'isc-dhcp-server',
  text: string,
  mac: string,
): string | undefined {
  const want = mac.toLowerCase();
  if (kind === 'dnsmasq') {
    // <expiry> <mac> <ip> <hostname> <client-id>
    for (const line of text.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 3 && f[1].toLowerCase() === want) return f[2];
    }
    return undefined;
  }
  if (kind === 'kea') {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const header = lines.shift()?.split(',') ?? [];
    const ai = header.indexOf('address');
    const hi = header.indexOf('hwaddr');
    const vi = header.indexOf('valid_lifetime');
    let found: string | undefined;
    for (const l of lines) {
      const f = l.split(',');
      // later lines supersede earlier ones; a lifetime of 0 is a release
      if (f[hi]?.toLowerCase() === want) found = f[vi] === '0' ? undefined : f[ai];
    }
    return found;
  }
  let found: string | undefined;
  for (const m of text.matchAll(/lease\s+(\S+)\s*\{([^}]*)\}/g)) {
    const hw = /hardware ethernet ([0-9a-f:]+);/i.exec(m[2])?.[1]?.toLowerCase();
    const active = /binding state active;/.test(m[2]) || !/binding state/.test(m[2]);
    if (hw === want) found = active ? m[1] : undefined;
  }
  return found;
}
