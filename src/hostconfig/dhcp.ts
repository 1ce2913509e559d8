import type { DhcpServer } from '../env/spec.js';
import {
  DHCPD_CONF,
  DHCPD_LEASES,
  DNSMASQ_DHCP_CONF,
  DNSMASQ_DNS_CONF,
  KEA_CONF,
  UPSTREAM_RESOLV,
  dhcpdConf,
  dhcpdDefaults,
  dnsmasqDhcpConf,
  dnsmasqDnsConf,
  keaConf,
  type DhcpFacts,
} from './dhcp-config.js';
import { shq, writeFileSnippet } from './shell.js';
import type { RenderedFile } from './types.js';

/** One way of running a DHCP (or DNS) server: its pidfile name, process name, unit and command. */
export interface ServiceDef {
  name: string;
  comm: string;
  unit: string;
  /** Bash words of the foreground command used when there is no systemd. */
  argv: string;
  /** Substring of the command line that marks our instance among processes with the same comm. */
  marker: string;
  package: string;
}

const KEA_RUN = '/run/lm-env/kea';
const DHCPD_OWN_PID = '/run/lm-env/dhcpd.own.pid';

export const DHCP_SERVICES: Record<DhcpServer, ServiceDef> = {
  dnsmasq: {
    name: 'dhcp-dnsmasq',
    comm: 'dnsmasq',
    unit: 'lm-env-dnsmasq.service',
    argv: `dnsmasq --keep-in-foreground --conf-file=${DNSMASQ_DHCP_CONF}`,
    marker: DNSMASQ_DHCP_CONF,
    package: 'dnsmasq-base',
  },
  kea: {
    name: 'dhcp-kea',
    comm: 'kea-dhcp4',
    unit: 'kea-dhcp4-server.service',
    argv: `env KEA_PIDFILE_DIR=${KEA_RUN} KEA_LOCKFILE_DIR=${KEA_RUN} kea-dhcp4 -c ${KEA_CONF}`,
    marker: '',
    package: 'kea-dhcp4-server',
  },
  'isc-dhcp-server': {
    name: 'dhcp-isc',
    comm: 'dhcpd',
    unit: 'isc-dhcp-server.service',
    argv: '',
    marker: '',
    package: 'isc-dhcp-server',
  },
};

export const DNS_SERVICE: ServiceDef = {
  name: 'dns-dnsmasq',
  comm: 'dnsmasq',
  unit: 'lm-env-dns.service',
  argv: `dnsmasq --keep-in-foreground --conf-file=${DNSMASQ_DNS_CONF}`,
  marker: DNSMASQ_DNS_CONF,
  package: 'dnsmasq-base',
};

function iscArgv(f: DhcpFacts): string {
  return `dhcpd -4 -d -cf ${DHCPD_CONF} -pf ${DHCPD_OWN_PID} -lf ${DHCPD_LEASES} ${shq(f.vlanIf)}`;
}

function unitFile(name: string, description: string, conf: string, item: string): RenderedFile {
  return {
    path: `/etc/systemd/system/${name}`,
    content: `# Managed by lm-env.
[Unit]
Description=${description}
After=network.target
Wants=network.target

[Service]
ExecStart=/usr/sbin/dnsmasq --keep-in-foreground --conf-file=${conf}
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
`,
    mode: '644',
    item,
    when: 'systemd',
  };
}

export function dhcpConfigFiles(f: DhcpFacts, backend: DhcpServer): RenderedFile[] {
  switch (backend) {
    case 'dnsmasq':
      return [
        dnsmasqDhcpConf(f),
        unitFile(
          DHCP_SERVICES.dnsmasq.unit,
          'lm-env dnsmasq: DHCP (and DNS) for the VLAN',
          DNSMASQ_DHCP_CONF,
          'dhcp-config',
        ),
      ];
    case 'kea':
      return [keaConf(f)];
    case 'isc-dhcp-server':
      return [dhcpdConf(f), dhcpdDefaults(f)];
  }
}

/** A separate DNS-only dnsmasq runs when the DHCP server is not dnsmasq and the hub is a DNS server. */
export function needsDnsInstance(f: DhcpFacts, backend: DhcpServer): boolean {
  return backend !== 'dnsmasq' && f.hubServesDns;
}

export function dnsConfigFiles(f: DhcpFacts, backend: DhcpServer): RenderedFile[] {
  if (!needsDnsInstance(f, backend)) return [];
  return [
    dnsmasqDnsConf(f),
    unitFile(DNS_SERVICE.unit, 'lm-env dnsmasq: DNS for the VLAN', DNSMASQ_DNS_CONF, 'dns-config'),
  ];
}

/** Writes files into FLAG (1 when any changed); unit files only under systemd. */
function writeAll(files: RenderedFile[], flag: string): string {
  return files
    .map((file) => {
      const w = `${writeFileSnippet(file)}\nif [ "$LMENV_CHANGED" = 1 ]; then ${flag}=1; fi`;
      return file.when === 'systemd'
        ? `if [ "$LMENV_INIT" = systemd ]; then\n${w}\nif [ "$LMENV_CHANGED" = 1 ]; then systemctl daemon-reload; fi\nfi`
        : w;
    })
    .join('\n');
}

function argvOf(def: ServiceDef, f: DhcpFacts): string {
  return def.comm === 'dhcpd' ? iscArgv(f) : def.argv;
}

/** Upstream resolvers of the hub, read at apply time: resolv.conf without 127.x stubs, then systemd-resolved's. */
export function upstreamSection(f: DhcpFacts): string {
  return `
lmenv_upstreams() {
  local file s
  for file in /etc/resolv.conf /run/systemd/resolve/resolv.conf; do
    [ -f "$file" ] || continue
    s=$(awk '$1 == "nameserver" && $2 !~ /^127\\./ && $2 != "::1" && $2 != "0.0.0.0" { print $2 }' "$file")
    if [ -n "$s" ]; then
      printf '%s\\n' "$s"
      return 0
    fi
  done
  if command -v resolvectl >/dev/null 2>&1; then
    resolvectl dns 2>/dev/null | sed 's/^[^:]*://' | tr ' ' '\\n' | sed 's/[#%].*//' |
      grep -E '^[0-9a-fA-F.:]+$' | grep -Ev '^(127\\.|::1$)' | awk '!seen[$0]++' || true
  fi
}
mapfile -t DNS_UPSTREAMS < <(lmenv_upstreams | grep -vxF ${shq(f.hubIp)} || true)
[ "\${#DNS_UPSTREAMS[@]}" -gt 0 ] ||
  lmenv_die "no upstream DNS resolvers on the hub (/etc/resolv.conf has none besides local stubs, resolvectl none either)"
mkdir -p "$(dirname ${UPSTREAM_RESOLV})"
lmenv_write_file ${UPSTREAM_RESOLV} 644 < <(
  printf '# Managed by lm-env: upstream resolvers read from the hub at configure time.\\n'
  printf 'nameserver %s\\n' "\${DNS_UPSTREAMS[@]}"
)
# dnsmasq polls its resolv-file: a new upstream list needs no restart
lmenv_item_if "$LMENV_CHANGED" dns-upstream "\${DNS_UPSTREAMS[*]}"
`;
}

/** Stops other backends, writes the config, keeps exactly one DHCP server running, then the DNS instance. */
export function dhcpSection(f: DhcpFacts, backend: DhcpServer): string {
  const def = DHCP_SERVICES[backend];
  const others = (Object.keys(DHCP_SERVICES) as DhcpServer[]).filter((b) => b !== backend);
  const stopOthers = others
    .map((b) => {
      const o = DHCP_SERVICES[b];
      return `lmenv_stop_service ${o.name} ${o.comm} ${o.unit}
if [ "$LMENV_CHANGED" = 1 ]; then DHCP_LEFT="$DHCP_LEFT stopped ${b}"; fi
lmenv_kill_strays ${o.comm} ${shq(o.marker)} ""
DHCP_LEFT="$DHCP_LEFT$LMENV_KILLED"`;
    })
    .join('\n');
  const dnsFiles = dnsConfigFiles(f, backend);
  const dnsInstance = needsDnsInstance(f, backend);
  const prep =
    backend === 'kea'
      ? `mkdir -p ${KEA_RUN} /var/lib/kea`
      : backend === 'isc-dhcp-server'
        ? // dhcpd refuses to start while its own pidfile names a live pid (also a dying or zombie
          // instance); lmenv_service has the real pid, so dhcpd's file is only a hindrance
          `mkdir -p /var/lib/dhcp\n[ -f ${DHCPD_LEASES} ] || : >${DHCPD_LEASES}\n` +
          `if [ -z "$(lmenv_direct_pid dhcp-isc dhcpd)" ]; then rm -f ${DHCPD_OWN_PID}; fi`
        : 'mkdir -p /var/lib/misc';
  return `
DHCP_LEFT=""
${stopOthers}

DHCP_RESTART=0
${writeAll(dhcpConfigFiles(f, backend), 'DHCP_RESTART')}
lmenv_item_if "$DHCP_RESTART" dhcp-config ${shq(`${backend} for ${f.vlanIf}`)}

${
  dnsInstance
    ? ''
    : `lmenv_stop_service ${DNS_SERVICE.name} ${DNS_SERVICE.comm} ${DNS_SERVICE.unit}
DNS_STOPPED=$LMENV_CHANGED
lmenv_kill_strays ${DNS_SERVICE.comm} ${shq(DNS_SERVICE.marker)} ""
if [ -n "$LMENV_KILLED" ]; then DNS_STOPPED=1; fi
`
}
${prep}
lmenv_service ${def.name} ${def.comm} "$DHCP_RESTART" ${def.unit} ${argvOf(def, f)}
DHCP_CHANGED=$LMENV_CHANGED
DHCP_DETAIL=$LMENV_SERVICE_DETAIL
DHCP_PID=$LMENV_SERVICE_PID
if [ -n "$DHCP_PID" ] && [ "$DHCP_PID" != 0 ]; then
  lmenv_kill_strays ${def.comm} ${shq(def.marker)} "$DHCP_PID"
  DHCP_LEFT="$DHCP_LEFT$LMENV_KILLED"
fi
lmenv_item_if "$DHCP_CHANGED" dhcp-service "${backend} $DHCP_DETAIL"
if [ -n "$DHCP_LEFT" ]; then
  lmenv_item dhcp-leftovers changed "removed:$DHCP_LEFT"
else
  lmenv_item dhcp-leftovers unchanged "one DHCP server"
fi
${dnsInstance ? dnsInstanceSection(dnsFiles) : noDnsInstanceSection(f, backend)}
`;
}

function dnsInstanceSection(files: RenderedFile[]): string {
  const d = DNS_SERVICE;
  return `
DNS_RESTART=0
${writeAll(files, 'DNS_RESTART')}
lmenv_item_if "$DNS_RESTART" dns-config ${DNSMASQ_DNS_CONF}
lmenv_service ${d.name} ${d.comm} "$DNS_RESTART" ${d.unit} ${d.argv}
DNS_CHANGED=$LMENV_CHANGED
DNS_DETAIL=$LMENV_SERVICE_DETAIL
if [ -n "$LMENV_SERVICE_PID" ] && [ "$LMENV_SERVICE_PID" != 0 ]; then
  lmenv_kill_strays ${d.comm} ${shq(d.marker)} "$LMENV_SERVICE_PID"
  if [ -n "$LMENV_KILLED" ]; then DNS_CHANGED=1; DNS_DETAIL="$DNS_DETAIL, removed$LMENV_KILLED"; fi
fi
lmenv_item_if "$DNS_CHANGED" dns-service "dnsmasq (DNS only) $DNS_DETAIL"
`;
}

function noDnsInstanceSection(f: DhcpFacts, backend: DhcpServer): string {
  const why =
    backend === 'dnsmasq' && f.hubServesDns
      ? 'answered by the DHCP dnsmasq'
      : `not served by the hub (DNS servers: ${f.dnsServers.join(', ')})`;
  return `
lmenv_remove_file ${DNSMASQ_DNS_CONF}
lmenv_item_if "$LMENV_CHANGED" dns-config ${shq(why)}
lmenv_item_if "$DNS_STOPPED" dns-service ${shq(why)}
`;
}
