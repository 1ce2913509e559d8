import { describe, expect, test } from '@jest/globals';
import { ValidationError } from '../../src/env/errors.js';
import { planFromRaw, type Plan } from '../../src/env/plan.js';
import type { RawInputs } from '../../src/env/spec.js';

const ctx = { id: 'lm-abc123', now: new Date('2026-11-27T10:00:00Z') };

function plan(raw: RawInputs = {}): Plan {
  return planFromRaw(raw, ctx);
}

function problems(raw: RawInputs): { field: string; problem: string }[] {
  try {
    planFromRaw(raw, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('default plan reproduces the original environment', () => {
  const p = plan();
  test('network', () => {
    expect(p.network).toEqual({
      subnet: '192.168.1.0/25',
      prefixLength: 25,
      netmask: '255.255.255.128',
      gateway: '192.168.1.2',
      vlan: { vid: 1000, parent: 'bond0', interface: 'bond0.1000' },
      dhcpRange: { start: '192.168.1.26', end: '192.168.1.126' },
      dnsServers: ['192.168.1.2'],
      leaseTimeSeconds: 600,
      maxLeaseTimeSeconds: 7200,
      reservedVip: '192.168.1.25',
    });
  });
  test('hosts: hub first, then host1..N', () => {
    expect(p.hosts.map((h) => [h.name, h.role, h.privateIp, h.hostname])).toEqual([
      ['hub', 'hub', '192.168.1.2', 'lm-abc123-hub'],
      ['host1', 'flintlock', '192.168.1.3', 'lm-abc123-host1'],
      ['host2', 'flintlock', '192.168.1.4', 'lm-abc123-host2'],
    ]);
    expect(p.flintlock.endpoints).toEqual(['192.168.1.3:9090', '192.168.1.4:9090']);
  });
  test('ids, tags and expiry', () => {
    expect(p.id).toBe('lm-abc123');
    expect(p.provider).toBe('lab');
    expect(p.expiresAt).toBe('2026-11-27T14:00:00.000Z');
    expect(p.tags).toEqual({ owner: 'lm-abc123', expires: '2026-11-27T14:00:00.000Z', project: 'lm-env' });
    expect(p.services).toEqual({ nat: 'nftables', dhcp: 'dnsmasq', thinpool: 'none' });
  });
});

describe('derived shape for other subnets', () => {
  test('/24 with 3 hosts: pool from a fifth of the subnet to .254', () => {
    const p = plan({ subnet: '10.20.30.0/24', hosts: '3', vlan: '42' });
    expect(p.hosts.map((h) => h.privateIp)).toEqual(['10.20.30.2', '10.20.30.3', '10.20.30.4', '10.20.30.5']);
    expect(p.network.dhcpRange).toEqual({ start: '10.20.30.52', end: '10.20.30.254' });
    expect(p.network.vlan.interface).toBe('bond0.42');
    expect(p.network.reservedVip).toBe('10.20.30.51');
  });
  test('/28 with 2 hosts: pool starts after the hosts and the VIP', () => {
    const p = plan({ subnet: '172.16.5.16/28' });
    expect(p.hosts.map((h) => h.privateIp)).toEqual(['172.16.5.18', '172.16.5.19', '172.16.5.20']);
    expect(p.network.dhcpRange).toEqual({ start: '172.16.5.22', end: '172.16.5.30' });
    expect(p.network.reservedVip).toBe('172.16.5.21');
  });
  test('/16', () => {
    const p = plan({ subnet: '10.99.0.0/16', hosts: '4' });
    expect(p.network.gateway).toBe('10.99.0.2');
    expect(p.network.dhcpRange).toEqual({ start: '10.99.51.52', end: '10.99.255.254' });
  });
  test('every value can be overridden', () => {
    const p = plan({
      subnet: '192.168.50.0/24',
      gateway: '192.168.50.1',
      'host-addresses': '192.168.50.10, 192.168.50.11',
      'dhcp-range': '192.168.50.100-192.168.50.200',
      dns: '192.168.50.1,198.51.100.53',
      'parent-interface': 'eth1',
      vlan: '7',
      'lease-time': '1h',
      'max-lease-time': '1d',
      nat: 'firewalld',
      dhcp: 'kea',
      thinpool: '/dev/sdb',
      'flintlock-port': '9443',
      name: 'nightly1',
      ttl: '1h30m',
      keep: 'true',
    });
    expect(p.id).toBe('lm-nightly1');
    expect(p.network.gateway).toBe('192.168.50.1');
    expect(p.hosts.map((h) => h.privateIp)).toEqual(['192.168.50.1', '192.168.50.10', '192.168.50.11']);
    expect(p.network.dhcpRange).toEqual({ start: '192.168.50.100', end: '192.168.50.200' });
    expect(p.network.dnsServers).toEqual(['192.168.50.1', '198.51.100.53']);
    expect(p.network.vlan).toEqual({ vid: 7, parent: 'eth1', interface: 'eth1.7' });
    expect(p.network.leaseTimeSeconds).toBe(3600);
    expect(p.network.maxLeaseTimeSeconds).toBe(86400);
    expect(p.services).toEqual({ nat: 'firewalld', dhcp: 'kea', thinpool: '/dev/sdb' });
    expect(p.flintlock.endpoints).toEqual(['192.168.50.10:9443', '192.168.50.11:9443']);
    expect(p.expiresAt).toBe('2026-11-27T11:30:00.000Z');
    expect(p.keep).toBe(true);
  });
  test('a gateway override moves the default host addresses after it', () => {
    const p = plan({ gateway: '192.168.1.10' });
    expect(p.hosts.map((h) => h.privateIp)).toEqual(['192.168.1.10', '192.168.1.11', '192.168.1.12']);
  });
});

// Table: [description, inputs, fields that must be named (empty = valid)]
const cases: [string, RawInputs, string[]][] = [
  ['defaults', {}, []],
  ['one host', { hosts: '1' }, []],
  ['64 hosts on a /24', { hosts: '64', subnet: '10.0.0.0/24' }, []],
  ['/16 subnet', { subnet: '10.0.0.0/16' }, []],
  ['/28 subnet', { subnet: '10.0.0.0/28' }, []],
  ['VLAN 1', { vlan: '1' }, []],
  ['VLAN 4094', { vlan: '4094' }, []],
  ['kea', { dhcp: 'kea' }, []],
  ['isc-dhcp-server', { dhcp: 'isc-dhcp-server' }, []],
  ['firewalld', { nat: 'firewalld' }, []],
  ['every provider: latitude', { provider: 'latitude' }, []],
  ['every provider: equinix', { provider: 'equinix' }, []],
  ['every provider: static', { provider: 'static' }, []],
  ['custom pool', { 'dhcp-range': '192.168.1.64-192.168.1.100' }, []],
  ['ttl 1d', { ttl: '1d' }, []],
  ['ttl in seconds', { ttl: '3600' }, []],
  ['lease in seconds', { 'lease-time': '600', 'max-lease-time': '7200' }, []],
  ['dns list with spaces', { dns: '198.51.100.1, 198.51.100.2' }, []],
  ['keep yes', { keep: 'yes' }, []],
  ['dry-run true', { 'dry-run': 'true' }, []],
  ['malformed CIDR', { subnet: '192.168.1/25' }, ['subnet']],
  ['not an address', { subnet: 'banana' }, ['subnet']],
  ['octet out of range', { subnet: '192.168.300.0/24' }, ['subnet']],
  ['host bits set', { subnet: '192.168.1.5/25' }, ['subnet']],
  ['prefix too short', { subnet: '10.0.0.0/8' }, ['subnet']],
  ['prefix too long', { subnet: '10.0.0.0/29' }, ['subnet']],
  ['IPv6 subnet', { subnet: 'fd00::/64' }, ['subnet']],
  ['VLAN 0', { vlan: '0' }, ['vlan']],
  ['VLAN 4095', { vlan: '4095' }, ['vlan']],
  ['VLAN not a number', { vlan: 'ten' }, ['vlan']],
  ['interface name too long', { 'parent-interface': 'enp129s0f1np1x' }, ['parent-interface']],
  ['parent name over 15 chars', { 'parent-interface': 'averyveryverylongif' }, ['parent-interface']],
  ['bad interface chars', { 'parent-interface': 'eth 0' }, ['parent-interface']],
  ['gateway outside subnet', { gateway: '10.0.0.1' }, ['gateway']],
  ['gateway is network address', { gateway: '192.168.1.0' }, ['gateway']],
  ['gateway is broadcast address', { gateway: '192.168.1.127' }, ['gateway']],
  ['gateway not IPv4', { gateway: '192.168.1' }, ['gateway']],
  ['host outside subnet', { 'host-addresses': '192.168.1.3,192.168.2.4' }, ['host-addresses']],
  ['host on broadcast', { 'host-addresses': '192.168.1.3,192.168.1.127' }, ['host-addresses']],
  ['duplicate host addresses', { 'host-addresses': '192.168.1.3,192.168.1.3' }, ['host-addresses']],
  ['host equals gateway', { 'host-addresses': '192.168.1.2,192.168.1.4' }, ['gateway']],
  ['wrong number of host addresses', { 'host-addresses': '192.168.1.3' }, ['host-addresses']],
  ['pool outside subnet', { 'dhcp-range': '192.168.1.100-192.168.1.200' }, ['dhcp-range']],
  ['pool reversed', { 'dhcp-range': '192.168.1.100-192.168.1.50' }, ['dhcp-range']],
  ['pool overlaps the hub', { 'dhcp-range': '192.168.1.2-192.168.1.20' }, ['dhcp-range']],
  ['pool overlaps a host', { 'dhcp-range': '192.168.1.4-192.168.1.20' }, ['dhcp-range']],
  ['pool too small', { 'dhcp-range': '192.168.1.30-192.168.1.31' }, ['dhcp-range']],
  ['pool malformed', { 'dhcp-range': '192.168.1.30' }, ['dhcp-range']],
  ['subnet too small for the hosts', { subnet: '10.0.0.0/28', hosts: '10' }, ['subnet']],
  ['DNS not IPv4', { dns: '192.168.1.2,dns.google' }, ['dns']],
  ['host count zero', { hosts: '0' }, ['hosts']],
  ['host count negative', { hosts: '-1' }, ['hosts']],
  ['host count absurd', { hosts: '5000' }, ['hosts']],
  ['host count not a number', { hosts: 'two' }, ['hosts']],
  ['unknown provider', { provider: 'aws' }, ['provider']],
  ['unknown NAT backend', { nat: 'iptables' }, ['nat']],
  ['unknown DHCP server', { dhcp: 'udhcpd' }, ['dhcp']],
  ['thinpool loop', { thinpool: 'loop' }, []],
  ['thinpool not a device', { thinpool: 'sdb' }, ['thinpool']],
  ['malformed ttl', { ttl: '6 hours' }, ['ttl']],
  ['ttl too short', { ttl: '10s' }, ['ttl']],
  ['lease time malformed', { 'lease-time': 'ten minutes' }, ['lease-time']],
  ['max lease shorter than lease', { 'lease-time': '2h', 'max-lease-time': '1h' }, ['max-lease-time']],
  ['port out of range', { 'flintlock-port': '70000' }, ['flintlock-port']],
  ['name with capitals', { name: 'Nightly' }, ['name']],
  ['name too long', { name: 'abcdefghi' }, ['name']],
  ['keep not boolean', { keep: 'maybe' }, ['keep']],
  ['unknown setting', { colour: 'blue' }, ['colour']],
  [
    'several problems at once',
    { subnet: '192.168.1.5/25', vlan: '5000', hosts: '0', dns: 'x', nat: 'pf' },
    ['subnet', 'vlan', 'hosts', 'dns', 'nat'],
  ],
  [
    'cross-field problems reported together',
    { gateway: '10.0.0.1', 'dhcp-range': '192.168.1.100-192.168.1.50', vlan: '0' },
    ['gateway', 'dhcp-range', 'vlan'],
  ],
];

describe('validation table', () => {
  test('has at least 40 specs', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  test.each(cases)('%s', (_name, raw, fields) => {
    if (fields.length === 0) {
      expect(() => plan(raw)).not.toThrow();
      return;
    }
    const found = problems(raw);
    expect([...new Set(found.map((i) => i.field))].sort()).toEqual([...fields].sort());
  });
});

describe('error messages', () => {
  test('name the field, its flag, the bad value and the fix', () => {
    try {
      plan({ subnet: '192.168.1.5/25' });
      throw new Error('not rejected');
    } catch (e) {
      expect((e as Error).message).toContain('subnet (--subnet) = "192.168.1.5/25": host bits are set');
      expect((e as Error).message).toContain('Fix: use the network address: 192.168.1.0/25');
    }
  });
  test('an overlapping pool names the clashing addresses', () => {
    const [issue] = problems({ 'dhcp-range': '192.168.1.3-192.168.1.30' });
    expect(issue.problem).toContain('192.168.1.3');
    expect(issue.problem).toContain('192.168.1.4');
  });
  test('exit code 2', () => {
    try {
      plan({ vlan: '0' });
    } catch (e) {
      expect((e as ValidationError).exitCode).toBe(2);
    }
  });
});
