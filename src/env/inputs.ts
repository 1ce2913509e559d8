/**
 * Every setting, once: an action input and its CLI flag share the name (`hosts` ↔ `--hosts`).
 * action.yml files, the CLI parser and the README tables are checked against this list by tests.
 */
export interface InputDef {
  name: string;
  description: string;
  /** Shown as the default; empty = derived from other inputs (see `derived`). */
  default: string;
  derived?: string;
  boolean?: boolean;
  secret?: boolean;
}

export const SPEC_INPUTS: InputDef[] = [
  {
    name: 'provider',
    default: 'lab',
    description: 'Where the hosts come from: lab | latitude | equinix | static',
  },
  { name: 'hosts', default: '2', description: 'Number of flintlock hosts (the hub is added on top)' },
  { name: 'subnet', default: '192.168.1.0/25', description: 'Private VLAN subnet (IPv4 CIDR, /16 to /28)' },
  { name: 'vlan', default: '1000', description: 'VLAN id (1-4094)' },
  { name: 'parent-interface', default: 'bond0', description: 'Uplink interface that carries the VLAN' },
  {
    name: 'gateway',
    default: '',
    derived: 'second address of the subnet (.2)',
    description: "Hub's private address: router and DNS for the microVMs",
  },
  {
    name: 'host-addresses',
    default: '',
    derived: 'the addresses after the gateway (.3, .4, …)',
    description: "Comma list of the flintlock hosts' private addresses",
  },
  {
    name: 'dhcp-range',
    default: '',
    derived: 'from a fifth of the subnet to the last usable address (.26-.126 on a /25)',
    description: 'DHCP pool for microVMs, START-END',
  },
  {
    name: 'dns',
    default: '',
    derived: 'the gateway (the hub forwards DNS)',
    description: 'Comma list of DNS servers handed to microVMs',
  },
  { name: 'lease-time', default: '10m', description: 'Default DHCP lease time (600, 10m, 1h)' },
  { name: 'max-lease-time', default: '2h', description: 'Maximum DHCP lease time' },
  { name: 'nat', default: 'nftables', description: 'NAT backend on the hub: nftables | firewalld' },
  {
    name: 'dhcp',
    default: 'dnsmasq',
    description: 'DHCP server on the hub: dnsmasq | kea | isc-dhcp-server',
  },
  {
    name: 'thinpool',
    default: 'none',
    description:
      'Thin pool for containerd on flintlock hosts: none | loop (sparse files, dev only) | /dev/<empty disk> (direct-lvm)',
  },
  {
    name: 'flintlock-port',
    default: '9090',
    description: "flintlock gRPC port on each host's private address",
  },
  {
    name: 'name',
    default: '',
    derived: 'random',
    description: 'Environment name: 1-8 of [a-z0-9]; the environment id is lm-<name>',
  },
  {
    name: 'tailscale',
    default: 'on',
    description:
      'Join the hub (subnet router) and the runner to a tailnet: on | off. The lab runs its own headscale; otherwise the join-tailscale inputs apply (CLI: LM_ENV_<INPUT> variables, e.g. LM_ENV_OAUTH_SECRET)',
  },
  { name: 'ttl', default: '4h', description: 'Lifetime before the sweep may delete it (90m, 6h, 1d, 1h30m)' },
  {
    name: 'keep',
    default: 'false',
    boolean: true,
    description: 'Keep the environment after the job (no teardown in post)',
  },
  {
    name: 'dry-run',
    default: 'false',
    boolean: true,
    description: 'Validate and print the plan; create nothing',
  },
];

export function flagOf(name: string): string {
  return `--${name}`;
}

export const SPEC_INPUT_NAMES = SPEC_INPUTS.map((i) => i.name);
