import type { Exec } from '../exec/types.js';
import { DNSMASQ_DHCP_CONF, DNSMASQ_DNS_CONF } from '../hostconfig/dhcp-config.js';
import { NFT_CONF, NFT_FILE, NFT_TABLE } from '../hostconfig/nat-nftables.js';
import { shq } from '../hostconfig/shell.js';
import { SYSCTL_PATH } from '../hostconfig/sysctl.js';
import type { PersistBackend } from '../hostconfig/types.js';
import { MODULES_LOAD_PATH, NETWORKD_DROPIN_NAME } from '../hostconfig/vlan.js';

/** Runtime state of the VLAN interface as the kernel reports it. */
export interface VlanRuntime {
  kind: 'vlan' | 'other' | 'missing';
  up: boolean;
  vid?: number;
  parent?: string;
  /** IPv4 address/prefix list. */
  addresses: string[];
}

export interface ServerProcess {
  pid: number;
  comm: string;
  args: string;
}

export interface RuntimeState {
  vlan: VlanRuntime;
  /** `nft list tables` entries, e.g. "ip lm_env". */
  nftTables: string[];
  /** `nft list table ip lm_env`, empty when missing. */
  natTable: string;
  ipForward: string;
  /** Processes in the host's network namespace serving DHCP (dhcpd, kea-dhcp4, dnsmasq with our DHCP config). */
  dhcpServers: ServerProcess[];
  /** dnsmasq instances answering DNS only. */
  dnsOnlyServers: ServerProcess[];
}

function sections(out: string): Map<string, string> {
  const m = new Map<string, string>();
  let name = '';
  let buf: string[] = [];
  for (const line of out.split('\n')) {
    const h = /^@@LMENV-(?:SECTION|FILE) (.+)$/.exec(line);
    if (h) {
      if (name) m.set(name, buf.join('\n'));
      name = h[1];
      buf = [];
    } else if (line === '@@LMENV-END') {
      if (name) m.set(name, buf.join('\n') + '\n');
      name = '';
      buf = [];
    } else if (name) {
      buf.push(line);
    }
  }
  if (name) m.set(name, buf.join('\n'));
  return m;
}

async function run(exec: Exec, script: string): Promise<string> {
  const r = await exec.run(script, { timeoutMs: 60_000 });
  if (r.code !== 0)
    throw new Error(`reading state on ${exec.target} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

export function parseVlanRuntime(linkDetail: string, addrList: string): VlanRuntime {
  const d = linkDetail.trim();
  if (!d) return { kind: 'missing', up: false, addresses: [] };
  const vlan = /vlan protocol 802\.1[Qq] id (\d+)/.exec(d);
  const parent = /^\d+: [^@:]+@([^:]+):/.exec(d);
  const addresses = addrList
    .split('\n')
    .map((l) => /\binet (\S+)/.exec(l)?.[1])
    .filter((a): a is string => a !== undefined);
  return {
    kind: vlan ? 'vlan' : 'other',
    up: /[<,]UP[,>]/.test(d),
    ...(vlan ? { vid: Number(vlan[1]), parent: parent?.[1] } : {}),
    addresses,
  };
}

function parseProcs(text: string): ServerProcess[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [pid, comm, ...rest] = l.split('\t');
      return { pid: Number(pid), comm, args: rest.join('\t').trim() };
    });
}

/** Reads the runtime state (VLAN link and addresses, nft tables, DHCP/DNS server processes) over an Exec. */
export async function readRuntimeState(exec: Exec, vlanIf: string): Promise<RuntimeState> {
  const out = await run(
    exec,
    `
echo '@@LMENV-SECTION link'; ip -d -o link show dev ${shq(vlanIf)} 2>/dev/null || true
echo '@@LMENV-SECTION addr'; ip -4 -o addr show dev ${shq(vlanIf)} 2>/dev/null || true
echo '@@LMENV-SECTION tables'; nft list tables 2>/dev/null || true
echo '@@LMENV-SECTION nat'; nft list table ip ${NFT_TABLE} 2>/dev/null || true
echo '@@LMENV-SECTION forward'; cat /proc/sys/net/ipv4/ip_forward
echo '@@LMENV-SECTION procs'
self=$(readlink /proc/self/ns/net)
for p in /proc/[0-9]*; do
  c=$(cat "$p/comm" 2>/dev/null) || continue
  case "$c" in dnsmasq|kea-dhcp4|dhcpd) ;; *) continue ;; esac
  [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$self" ] || continue
  [ "$(awk '{print $3}' "$p/stat" 2>/dev/null)" != Z ] || continue
  printf '%s\\t%s\\t%s\\n' "\${p#/proc/}" "$c" "$(tr '\\0' ' ' <"$p/cmdline" 2>/dev/null)"
done
echo '@@LMENV-END'
`,
  );
  const s = sections(out);
  const procs = parseProcs(s.get('procs') ?? '');
  const isDnsOnly = (p: ServerProcess): boolean => p.comm === 'dnsmasq' && p.args.includes(DNSMASQ_DNS_CONF);
  return {
    vlan: parseVlanRuntime(s.get('link') ?? '', s.get('addr') ?? ''),
    nftTables: (s.get('tables') ?? '')
      .split('\n')
      .map((l) => l.replace(/^table\s+/, '').trim())
      .filter((l) => l !== ''),
    natTable: (s.get('nat') ?? '').trim(),
    ipForward: (s.get('forward') ?? '').trim(),
    dhcpServers: procs.filter(
      (p) => p.comm !== 'dnsmasq' || (p.args.includes(DNSMASQ_DHCP_CONF) && !isDnsOnly(p)),
    ),
    dnsOnlyServers: procs.filter(isDnsOnly),
  };
}

/** What the persistent VLAN configuration on a host says. */
export interface PersistedVlan {
  backend: PersistBackend;
  interface?: string;
  vid?: number;
  parent?: string;
  addresses: string[];
  files: string[];
}

export interface PersistentState {
  /** Existing lm-env files by path (networkd drop-ins under their real directory). */
  files: Record<string, string>;
  vlan?: PersistedVlan;
  modulesLoad?: string;
  sysctl?: string;
  nftables?: string;
  nftablesConfIncludes: boolean;
}

/** Files the apply script may have written for the VLAN interface. */
export function persistentCandidates(vlanIf: string): string[] {
  return [
    MODULES_LOAD_PATH,
    `/etc/network/interfaces.d/lm-env-${vlanIf}`,
    '/etc/netplan/60-lm-env.yaml',
    `/etc/systemd/network/60-lm-env-${vlanIf}.netdev`,
    `/etc/systemd/network/60-lm-env-${vlanIf}.network`,
    SYSCTL_PATH,
    NFT_FILE,
    NFT_CONF,
  ];
}

export function describePersistedVlan(
  files: Record<string, string>,
  vlanIf: string,
): PersistedVlan | undefined {
  const ifup = files[`/etc/network/interfaces.d/lm-env-${vlanIf}`];
  const netplan = files['/etc/netplan/60-lm-env.yaml'];
  const netdev = files[`/etc/systemd/network/60-lm-env-${vlanIf}.netdev`];
  const network = files[`/etc/systemd/network/60-lm-env-${vlanIf}.network`];
  const all = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1]);
  if (ifup !== undefined) {
    const name = /^iface (\S+) inet static/m.exec(ifup)?.[1];
    const vid = name ? Number(/\.(\d+)$/.exec(name)?.[1]) : undefined;
    return {
      backend: 'ifupdown',
      interface: name,
      vid: Number.isFinite(vid) ? vid : undefined,
      parent: /^\s*vlan-raw-device (\S+)/m.exec(ifup)?.[1],
      addresses: all(ifup, /^\s*address (\S+)/gm),
      files: [`/etc/network/interfaces.d/lm-env-${vlanIf}`],
    };
  }
  if (netplan !== undefined) {
    return {
      backend: 'netplan',
      interface: /^ {4}(\S+):\s*$/m.exec(netplan)?.[1],
      vid: Number(/^\s+id: (\d+)/m.exec(netplan)?.[1]),
      parent: /^\s+link: (\S+)/m.exec(netplan)?.[1],
      addresses: all(netplan, /^\s+- (\d+\.\d+\.\d+\.\d+\/\d+)/gm),
      files: ['/etc/netplan/60-lm-env.yaml'],
    };
  }
  if (netdev !== undefined || network !== undefined) {
    const dropin = Object.keys(files).find((p) => p.endsWith(`.network.d/${NETWORKD_DROPIN_NAME}`));
    const parentBase = dropin ? /([^/]+\.network)\.d\//.exec(dropin)?.[1] : undefined;
    const parentNetwork = Object.keys(files).find((p) => parentBase && p.endsWith(`/${parentBase}`));
    const parent = parentNetwork ? /^Name=(\S+)/m.exec(files[parentNetwork])?.[1] : undefined;
    return {
      backend: 'networkd',
      interface: /^Name=(\S+)/m.exec(netdev ?? '')?.[1],
      vid: Number(/^Id=(\d+)/m.exec(netdev ?? '')?.[1]),
      parent,
      addresses: all(network ?? '', /^Address=(\S+)/gm),
      files: Object.keys(files).filter((p) => p.includes('/60-lm-env')),
    };
  }
  return undefined;
}

/** Reads the persistent files lm-env writes (those that exist) and describes them. */
export async function readPersistentState(exec: Exec, vlanIf: string): Promise<PersistentState> {
  const paths = persistentCandidates(vlanIf).map(shq).join(' ');
  const out = await run(
    exec,
    `
show() {
  [ -f "$1" ] || return 0
  echo "@@LMENV-FILE $1"
  cat "$1"
  echo '@@LMENV-END'
}
for f in ${paths}; do show "$f"; done
for f in /etc/systemd/network/*.network.d/${NETWORKD_DROPIN_NAME}; do
  [ -f "$f" ] || continue
  show "$f"
  # the parent's own .network file, wherever networkd keeps it
  base=$(basename "$(dirname "$f")" .d)
  for d in /etc/systemd/network /run/systemd/network /usr/lib/systemd/network /lib/systemd/network; do
    show "$d/$base"
  done
done
`,
  );
  const files = Object.fromEntries(sections(out));
  return {
    files,
    vlan: describePersistedVlan(files, vlanIf),
    modulesLoad: files[MODULES_LOAD_PATH],
    sysctl: files[SYSCTL_PATH],
    nftables: files[NFT_FILE],
    nftablesConfIncludes: (files[NFT_CONF] ?? '').split('\n').includes(`include "${NFT_FILE}"`),
  };
}
