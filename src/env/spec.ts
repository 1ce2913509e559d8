import { isIPv4, parseSubnet } from './addr.js';
import { parseDuration } from './duration.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import { SPEC_INPUTS } from './inputs.js';
import { parseThinpool } from '../hostconfig/thinpool.js';

export const PROVIDERS = ['lab', 'latitude', 'equinix', 'static'] as const;
export const NAT_BACKENDS = ['nftables', 'firewalld'] as const;
export const DHCP_SERVERS = ['dnsmasq', 'kea', 'isc-dhcp-server'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
export type NatBackend = (typeof NAT_BACKENDS)[number];
export type DhcpServer = (typeof DHCP_SERVERS)[number];

export const MAX_HOSTS = 64;
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;
export const IFNAMSIZ = 15;

/** The validated, typed description of an environment. Optional fields are derived by the plan. */
export interface EnvSpec {
  provider: ProviderName;
  hosts: number;
  subnet: string;
  vlan: number;
  parentInterface: string;
  gateway?: string;
  hostAddresses?: string[];
  dhcpRange?: { start: string; end: string };
  dnsServers?: string[];
  leaseTimeSeconds: number;
  maxLeaseTimeSeconds: number;
  nat: NatBackend;
  dhcp: DhcpServer;
  flintlockPort: number;
  /** none, loop, or the spare disk for direct-lvm. */
  thinpool: string;
  name?: string;
  ttlSeconds: number;
  /** Join the tailnet during `up` (default on). */
  tailscale: 'on' | 'off';
  keep: boolean;
  dryRun: boolean;
}

/** Raw settings by input name, as strings: from `core.getInput` or from CLI flags. Missing/empty = default. */
export type RawInputs = Record<string, string | undefined>;

export interface ParsedSpec {
  spec: EnvSpec;
  issues: ValidationIssue[];
  /** Fields whose value was rejected: later checks skip them so one mistake is reported once. */
  invalid: Set<string>;
}

const DEFAULTS = Object.fromEntries(SPEC_INPUTS.map((i) => [i.name, i.default]));

function oneOf<T extends string>(allowed: readonly T[], v: string): T | undefined {
  return (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

function list(v: string): string[] {
  return v
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

/** Parses each field on its own and collects every problem; cross-field checks live in the plan. */
export function parseSpec(raw: RawInputs): ParsedSpec {
  const issues: ValidationIssue[] = [];
  const invalid = new Set<string>();
  const get = (name: string): string => {
    const v = raw[name];
    return v === undefined || v.trim() === '' ? DEFAULTS[name] : v.trim();
  };
  const given = (name: string): string | undefined => {
    const v = raw[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const bad = (field: string, value: string, problem: string, fix: string): void => {
    issues.push({ field, value, problem, fix });
    invalid.add(field);
  };

  for (const name of Object.keys(raw)) {
    if (!(name in DEFAULTS)) {
      bad(
        name,
        raw[name] ?? '',
        'unknown setting',
        `remove it; known settings are ${Object.keys(DEFAULTS).join(', ')}`,
      );
    }
  }

  const provider = oneOf(PROVIDERS, get('provider'));
  if (!provider) bad('provider', get('provider'), 'unknown provider', `use one of ${PROVIDERS.join(', ')}`);

  const hostsRaw = get('hosts');
  let hosts = Number(hostsRaw);
  if (!/^\d+$/.test(hostsRaw)) {
    bad('hosts', hostsRaw, 'not a whole number', 'give the number of flintlock hosts, e.g. 2');
    hosts = 2;
  } else if (hosts < 1) {
    bad('hosts', hostsRaw, 'at least one flintlock host is needed', 'use 1 or more');
  } else if (hosts > MAX_HOSTS) {
    bad('hosts', hostsRaw, `more than ${MAX_HOSTS} hosts is not supported`, `use at most ${MAX_HOSTS}`);
  }

  const subnetRaw = get('subnet');
  const sub = parseSubnet(subnetRaw);
  let subnet = subnetRaw;
  if ('error' in sub) {
    bad(
      'subnet',
      subnetRaw,
      sub.error,
      sub.suggestion ? `use the network address: ${sub.suggestion}` : 'write it like 192.168.1.0/25',
    );
  } else if (sub.prefix < MIN_PREFIX || sub.prefix > MAX_PREFIX) {
    bad(
      'subnet',
      subnetRaw,
      `prefix /${sub.prefix} is outside the supported range /${MIN_PREFIX}–/${MAX_PREFIX}`,
      `use a prefix between /${MIN_PREFIX} and /${MAX_PREFIX}, e.g. /25`,
    );
  } else {
    subnet = sub.cidr;
  }

  const vlanRaw = get('vlan');
  const vlan = Number(vlanRaw);
  if (!/^\d+$/.test(vlanRaw) || vlan < 1 || vlan > 4094) {
    bad('vlan', vlanRaw, 'VLAN id must be a whole number from 1 to 4094', 'pick an id in 1–4094, e.g. 1000');
  }

  const parentInterface = get('parent-interface');
  if (!/^[A-Za-z0-9_.-]+$/.test(parentInterface)) {
    bad('parent-interface', parentInterface, 'not a valid interface name', 'use a name like bond0 or eth0');
  } else if (parentInterface.length > IFNAMSIZ) {
    bad(
      'parent-interface',
      parentInterface,
      `interface names are at most ${IFNAMSIZ} characters`,
      "use the uplink's real (short) name",
    );
  } else if (!invalid.has('vlan') && `${parentInterface}.${vlan}`.length > IFNAMSIZ) {
    bad(
      'parent-interface',
      parentInterface,
      `the VLAN interface name "${parentInterface}.${vlan}" is longer than ${IFNAMSIZ} characters`,
      'use a shorter parent interface name or a VLAN id with fewer digits',
    );
  }

  const gateway = given('gateway');
  if (gateway !== undefined && !isIPv4(gateway)) {
    bad(
      'gateway',
      gateway,
      'not an IPv4 address',
      'write it like 192.168.1.2, or leave it empty to derive it',
    );
  }

  const hostAddressesRaw = given('host-addresses');
  const hostAddresses = hostAddressesRaw === undefined ? undefined : list(hostAddressesRaw);
  if (hostAddresses) {
    const notIp = hostAddresses.filter((a) => !isIPv4(a));
    if (notIp.length > 0) {
      bad(
        'host-addresses',
        hostAddressesRaw!,
        `not IPv4 addresses: ${notIp.join(', ')}`,
        'give a comma list like 192.168.1.3,192.168.1.4',
      );
    }
  }

  let dhcpRange: EnvSpec['dhcpRange'];
  const rangeRaw = given('dhcp-range');
  if (rangeRaw !== undefined) {
    const parts = rangeRaw.split('-').map((s) => s.trim());
    if (parts.length !== 2 || !isIPv4(parts[0]) || !isIPv4(parts[1])) {
      bad('dhcp-range', rangeRaw, 'not START-END IPv4 addresses', 'write it like 192.168.1.26-192.168.1.126');
    } else {
      dhcpRange = { start: parts[0], end: parts[1] };
    }
  }

  const dnsRaw = given('dns');
  const dnsServers = dnsRaw === undefined ? undefined : list(dnsRaw);
  if (dnsServers) {
    const notIp = dnsServers.filter((a) => !isIPv4(a));
    if (dnsServers.length === 0 || notIp.length > 0) {
      bad(
        'dns',
        dnsRaw!,
        `not IPv4 addresses: ${notIp.join(', ') || '(none given)'}`,
        'give a comma list like 192.168.1.2,198.51.100.53',
      );
    }
  }

  const leaseTimeSeconds = parseDuration(get('lease-time'));
  if (leaseTimeSeconds === undefined || leaseTimeSeconds < 60) {
    bad(
      'lease-time',
      get('lease-time'),
      'not a duration of at least 60 seconds',
      'write it like 600, 10m or 1h',
    );
  }
  const maxLeaseTimeSeconds = parseDuration(get('max-lease-time'));
  if (maxLeaseTimeSeconds === undefined || maxLeaseTimeSeconds < 60) {
    bad(
      'max-lease-time',
      get('max-lease-time'),
      'not a duration of at least 60 seconds',
      'write it like 7200 or 2h',
    );
  } else if (leaseTimeSeconds !== undefined && maxLeaseTimeSeconds < leaseTimeSeconds) {
    bad(
      'max-lease-time',
      get('max-lease-time'),
      'shorter than lease-time',
      'make it at least as long as lease-time',
    );
  }

  const nat = oneOf(NAT_BACKENDS, get('nat'));
  if (!nat) bad('nat', get('nat'), 'unknown NAT backend', `use one of ${NAT_BACKENDS.join(', ')}`);
  const dhcp = oneOf(DHCP_SERVERS, get('dhcp'));
  if (!dhcp) bad('dhcp', get('dhcp'), 'unknown DHCP server', `use one of ${DHCP_SERVERS.join(', ')}`);

  const portRaw = get('flintlock-port');
  const flintlockPort = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || flintlockPort < 1 || flintlockPort > 65535) {
    bad('flintlock-port', portRaw, 'not a TCP port', 'use a number from 1 to 65535, e.g. 9090');
  }

  const thinpool = get('thinpool');
  if (!parseThinpool(thinpool)) {
    bad(
      'thinpool',
      thinpool,
      'not none, loop or a /dev/ path',
      'use none, loop, or the spare disk such as /dev/sdb',
    );
  }

  const name = given('name');
  if (name !== undefined && !/^[a-z0-9]{1,8}$/.test(name)) {
    bad(
      'name',
      name,
      'must be 1–8 lowercase letters or digits (it becomes part of interface names)',
      'use e.g. nightly1',
    );
  }

  const ttlSeconds = parseDuration(get('ttl'));
  if (ttlSeconds === undefined || ttlSeconds < 60) {
    bad('ttl', get('ttl'), 'not a duration of at least a minute', 'write it like 90m, 6h, 1d or 1h30m');
  }

  const tsRaw = get('tailscale').toLowerCase();
  const tailscale = ['on', 'true', 'yes', '1'].includes(tsRaw)
    ? 'on'
    : ['off', 'false', 'no', '0'].includes(tsRaw)
      ? 'off'
      : undefined;
  if (!tailscale)
    bad('tailscale', get('tailscale'), 'must be on or off', 'use --tailscale on or --tailscale off');

  const bool = (field: string): boolean => {
    const v = get(field).toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(v)) return true;
    if (['false', 'no', '0', 'off'].includes(v)) return false;
    bad(field, get(field), 'not a boolean', 'use true or false');
    return false;
  };

  const spec: EnvSpec = {
    provider: provider ?? 'lab',
    hosts,
    subnet,
    vlan,
    parentInterface,
    gateway,
    hostAddresses,
    dhcpRange,
    dnsServers,
    leaseTimeSeconds: leaseTimeSeconds ?? 600,
    maxLeaseTimeSeconds: maxLeaseTimeSeconds ?? 7200,
    nat: nat ?? 'nftables',
    dhcp: dhcp ?? 'dnsmasq',
    flintlockPort,
    thinpool,
    name,
    ttlSeconds: ttlSeconds ?? 14400,
    tailscale: tailscale ?? 'on',
    keep: bool('keep'),
    dryRun: bool('dry-run'),
  };
  return { spec, issues, invalid };
}

/** parseSpec that throws a ValidationError listing every field problem. */
export function parseSpecOrThrow(raw: RawInputs): EnvSpec {
  const { spec, issues } = parseSpec(raw);
  if (issues.length > 0) throw new ValidationError(issues);
  return spec;
}
