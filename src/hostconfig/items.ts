/**
 * Names of the LMENV-ITEM lines the network part of the apply script prints, one per managed item:
 *   LMENV-ITEM <item> changed|unchanged [detail]
 */
export const ITEMS = {
  packages: 'packages',
  modulesLoad: 'modules-load',
  vlanModule: 'vlan-module',
  vlanLink: 'vlan-link',
  vlanAddress: 'vlan-address',
  vlanPersist: 'vlan-persist',
  sysctl: 'sysctl',
  nat: 'nat',
  natPersist: 'nat-persist',
  natLeftovers: 'nat-leftovers',
  dnsUpstream: 'dns-upstream',
  dhcpConfig: 'dhcp-config',
  dhcpService: 'dhcp-service',
  dhcpLeftovers: 'dhcp-leftovers',
  dnsConfig: 'dns-config',
  dnsService: 'dns-service',
} as const;

export type ItemStatus = 'changed' | 'unchanged';

export interface ItemResult {
  item: string;
  status: ItemStatus;
  detail?: string;
}

const LINE = /^LMENV-ITEM (\S+) (changed|unchanged)(?: (.*))?$/;

/** Parses the LMENV-ITEM lines out of a script's output (other lines are ignored). */
export function parseItems(output: string): ItemResult[] {
  const out: ItemResult[] = [];
  for (const raw of output.split('\n')) {
    const m = LINE.exec(raw.replace(/\r$/, ''));
    if (!m) continue;
    out.push(
      m[3]
        ? { item: m[1], status: m[2] as ItemStatus, detail: m[3] }
        : { item: m[1], status: m[2] as ItemStatus },
    );
  }
  return out;
}

/** The LMENV-ERROR lines (the script's own diagnosis of a failure). */
export function parseErrors(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('LMENV-ERROR '))
    .map((l) => l.slice('LMENV-ERROR '.length));
}
