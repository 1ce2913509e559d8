import { atOffset, contains, offsetOf, parseSubnet, toNumber, type Subnet } from './addr.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import {
  parseSpec,
  type DhcpServer,
  type EnvSpec,
  type NatBackend,
  type ProviderName,
  type RawInputs,
} from './spec.js';

export const MIN_POOL = 4;

export type Role = 'hub' | 'flintlock';

export interface VlanPlan {
  vid: number;
  parent: string;
  interface: string;
}

/** The Environment file's `network` field. */
export interface NetworkPlan {
  subnet: string;
  prefixLength: number;
  netmask: string;
  gateway: string;
  vlan: VlanPlan;
  dhcpRange: { start: string; end: string };
  dnsServers: string[];
  leaseTimeSeconds: number;
  maxLeaseTimeSeconds: number;
  /** Inside the subnet, outside the pool and the hosts: kept for a cluster VIP (CAPMVM uses .25). */
  reservedVip: string;
}

/** The Environment file's `hosts[]` entries, before provisioning adds public addresses and SSH. */
export interface HostPlan {
  name: string;
  role: Role;
  index: number;
  privateIp: string;
  /** Resource name at the provider: <envid>-<name>. */
  hostname: string;
}

export interface Plan {
  id: string;
  provider: ProviderName;
  createdAt: string;
  expiresAt: string;
  keep: boolean;
  network: NetworkPlan;
  hosts: HostPlan[];
  flintlock: { port: number; endpoints: string[] };
  services: { nat: NatBackend; dhcp: DhcpServer; thinpool: string };
  /** Carried by every resource: ownership for teardown and sweeps. */
  tags: { owner: string; expires: string; project: 'lm-env' };
}

export interface PlanContext {
  /** Environment id to use when the spec gives no name (e.g. random). */
  id: string;
  now: Date;
}

export function environmentId(spec: EnvSpec, ctx: PlanContext): string {
  return spec.name ? `lm-${spec.name}` : ctx.id;
}

/** First pool offset: a fifth of the subnet is left for hosts and VIPs (26 on a /25, as in the original). */
export function defaultPoolStartOffset(size: number, lastHostOffset: number): number {
  return Math.max(Math.floor(size / 5) + 1, lastHostOffset + 2);
}

/**
 * Derives every address and name from a parsed spec. Pure. Throws a ValidationError listing
 * every problem found in the inputs (field-level and cross-field) at once.
 */
export function planFromRaw(raw: RawInputs, ctx: PlanContext): Plan {
  return resolveInputs(raw, ctx).plan;
}

/** Raw inputs to the validated spec and its plan, or one ValidationError with every problem. */
export function resolveInputs(raw: RawInputs, ctx: PlanContext): { spec: EnvSpec; plan: Plan } {
  const parsed = parseSpec(raw);
  const issues = [...parsed.issues];
  const plan = derive(parsed.spec, parsed.invalid, issues, ctx);
  if (issues.length > 0 || !plan) throw new ValidationError(issues);
  return { spec: parsed.spec, plan };
}

export function planFromSpec(spec: EnvSpec, ctx: PlanContext): Plan {
  const issues: ValidationIssue[] = [];
  const plan = derive(spec, new Set(), issues, ctx);
  if (issues.length > 0 || !plan) throw new ValidationError(issues);
  return plan;
}

function derive(
  spec: EnvSpec,
  invalid: Set<string>,
  issues: ValidationIssue[],
  ctx: PlanContext,
): Plan | undefined {
  if (invalid.has('subnet') || invalid.has('hosts')) return undefined;
  const sub = parseSubnet(spec.subnet) as Subnet;
  const bad = (field: string, value: string, problem: string, fix: string): void => {
    issues.push({ field, value, problem, fix });
    invalid.add(field);
  };
  const usable = sub.size - 2;
  const needed = 1 + spec.hosts + MIN_POOL;
  if (usable - 1 < needed) {
    // offset 1 is left free (often the provider's own router on the VLAN)
    bad(
      'subnet',
      spec.subnet,
      `a /${sub.prefix} has ${usable} usable addresses, too few for the hub, ${spec.hosts} host(s) and a DHCP pool of at least ${MIN_POOL}`,
      `use a larger subnet (smaller prefix) or fewer hosts`,
    );
    return undefined;
  }

  const inside = (field: string, addr: string, what: string): boolean => {
    if (!contains(sub, addr)) {
      bad(
        field,
        addr,
        `${what} ${addr} is outside the subnet ${sub.cidr}`,
        `use an address inside ${sub.cidr}`,
      );
      return false;
    }
    if (addr === sub.network || addr === sub.broadcast) {
      bad(
        field,
        addr,
        `${what} ${addr} is the ${addr === sub.network ? 'network' : 'broadcast'} address of ${sub.cidr}`,
        `use an address between ${atOffset(sub, 1)} and ${atOffset(sub, sub.size - 2)}`,
      );
      return false;
    }
    return true;
  };

  // Addresses: hub first, then the hosts in order.
  let gateway = spec.gateway ?? atOffset(sub, 2);
  if (spec.gateway !== undefined && !invalid.has('gateway')) inside('gateway', spec.gateway, 'the gateway');
  let hostIps: string[];
  if (spec.hostAddresses && !invalid.has('host-addresses')) {
    hostIps = spec.hostAddresses;
    if (hostIps.length !== spec.hosts) {
      bad(
        'host-addresses',
        hostIps.join(','),
        `${hostIps.length} address(es) given for ${spec.hosts} host(s)`,
        `give exactly ${spec.hosts} addresses, or set hosts to ${hostIps.length}`,
      );
    }
    hostIps.forEach((a) => inside('host-addresses', a, 'host address'));
  } else {
    const start = spec.gateway !== undefined && !invalid.has('gateway') ? offsetOf(sub, gateway) + 1 : 3;
    hostIps = Array.from({ length: spec.hosts }, (_, i) => atOffset(sub, start + i));
    if (start + spec.hosts - 1 > sub.size - 2) {
      bad(
        'hosts',
        String(spec.hosts),
        `the hosts after ${gateway} do not fit in ${sub.cidr}`,
        'use a larger subnet or set host-addresses',
      );
    }
  }
  if (invalid.has('gateway')) gateway = atOffset(sub, 2);

  const all = [gateway, ...hostIps];
  const seen = new Map<string, number>();
  all.forEach((a, i) => {
    if (seen.has(a)) {
      const field = i === 0 || seen.get(a) === 0 ? 'gateway' : 'host-addresses';
      bad(
        field,
        a,
        `address ${a} is used twice (${i === 0 || seen.get(a) === 0 ? 'hub and a host' : 'two hosts'})`,
        'give every device its own address',
      );
    }
    seen.set(a, i);
  });

  // Only usable addresses shape the derived pool, so one bad host address is reported once.
  const usableOffsets = all
    .filter((a) => contains(sub, a))
    .map((a) => offsetOf(sub, a))
    .filter((o) => o > 0 && o < sub.size - 1);
  const lastHostOffset = Math.max(2, ...usableOffsets);
  let range = spec.dhcpRange;
  if (!range) {
    const startOff = defaultPoolStartOffset(sub.size, lastHostOffset);
    range = { start: atOffset(sub, startOff), end: atOffset(sub, sub.size - 2) };
    if (sub.size - 2 - startOff + 1 < MIN_POOL) {
      bad(
        'dhcp-range',
        `${range.start}-${range.end}`,
        `the derived pool after the hosts has fewer than ${MIN_POOL} addresses`,
        'use a larger subnet, fewer hosts, or set dhcp-range',
      );
    }
  } else if (!invalid.has('dhcp-range')) {
    const shown = `${range.start}-${range.end}`;
    const ok = inside('dhcp-range', range.start, 'pool start') && inside('dhcp-range', range.end, 'pool end');
    if (ok) {
      const s = toNumber(range.start);
      const e = toNumber(range.end);
      if (s > e) {
        bad(
          'dhcp-range',
          shown,
          'the pool is reversed (start after end)',
          `write it as ${range.end}-${range.start}`,
        );
      } else {
        if (e - s + 1 < MIN_POOL) {
          bad(
            'dhcp-range',
            shown,
            `the pool has ${e - s + 1} address(es), fewer than ${MIN_POOL}`,
            `give at least ${MIN_POOL} addresses`,
          );
        }
        const clash = all.filter((a) => toNumber(a) >= s && toNumber(a) <= e);
        if (clash.length > 0) {
          bad(
            'dhcp-range',
            shown,
            `the pool overlaps the hub/host address(es) ${clash.join(', ')}`,
            'move the pool above the host addresses',
          );
        }
      }
    }
  }

  const dnsServers = spec.dnsServers && !invalid.has('dns') ? spec.dnsServers : [gateway];
  const vlanIf = `${spec.parentInterface}.${spec.vlan}`;
  const id = environmentId(spec, ctx);
  const expiresAt = new Date(ctx.now.getTime() + spec.ttlSeconds * 1000).toISOString();

  // VIP: just below the pool when that address is free, else none inside the pool region.
  const vipCandidate = toNumber(range.start) - 1;
  const reservedVip =
    vipCandidate > toNumber(sub.network) && !all.some((a) => toNumber(a) === vipCandidate)
      ? atOffset(sub, vipCandidate - toNumber(sub.network))
      : '';

  const hosts: HostPlan[] = [
    { name: 'hub', role: 'hub', index: 0, privateIp: gateway, hostname: `${id}-hub` },
    ...hostIps.map((ip, i) => ({
      name: `host${i + 1}`,
      role: 'flintlock' as const,
      index: i + 1,
      privateIp: ip,
      hostname: `${id}-host${i + 1}`,
    })),
  ];
  return {
    id,
    provider: spec.provider,
    createdAt: ctx.now.toISOString(),
    expiresAt,
    keep: spec.keep,
    network: {
      subnet: sub.cidr,
      prefixLength: sub.prefix,
      netmask: sub.netmask,
      gateway,
      vlan: { vid: spec.vlan, parent: spec.parentInterface, interface: vlanIf },
      dhcpRange: range,
      dnsServers,
      leaseTimeSeconds: spec.leaseTimeSeconds,
      maxLeaseTimeSeconds: spec.maxLeaseTimeSeconds,
      reservedVip,
    },
    hosts,
    flintlock: {
      port: spec.flintlockPort,
      endpoints: hostIps.map((ip) => `${ip}:${spec.flintlockPort}`),
    },
    services: { nat: spec.nat, dhcp: spec.dhcp, thinpool: spec.thinpool },
    tags: { owner: id, expires: expiresAt, project: 'lm-env' },
  };
}
