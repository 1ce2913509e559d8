import { shq, writeFileSnippet } from './shell.js';
import type { ConfigHost, ConfigSource, PersistBackend, RenderedFile } from './types.js';

export const MODULES_LOAD_PATH = '/etc/modules-load.d/lm-env.conf';
export const NETWORKD_DROPIN_NAME = '60-lm-env-vlan.conf';

export interface VlanFacts {
  interface: string;
  parent: string;
  vid: number;
  /** address/prefix, e.g. 192.168.1.2/25 */
  cidr: string;
}

export function vlanFacts(src: ConfigSource, host: ConfigHost): VlanFacts {
  const v = src.network.vlan;
  return {
    interface: v.interface,
    parent: v.parent,
    vid: v.vid,
    cidr: `${host.privateIp}/${src.network.prefixLength}`,
  };
}

function header(src: ConfigSource, comment: string): string {
  return `${comment} Managed by lm-env (${src.id}); rewritten on every configure.\n`;
}

export function modulesLoadFile(src: ConfigSource): RenderedFile {
  return {
    path: MODULES_LOAD_PATH,
    content: `${header(src, '#')}8021q\n`,
    mode: '644',
    item: 'modules-load',
  };
}

export function ifupdownFile(src: ConfigSource, f: VlanFacts): RenderedFile {
  return {
    path: `/etc/network/interfaces.d/lm-env-${f.interface}`,
    content:
      header(src, '#') +
      `auto ${f.interface}\n` +
      `iface ${f.interface} inet static\n` +
      `    address ${f.cidr}\n` +
      `    vlan-raw-device ${f.parent}\n`,
    mode: '644',
    item: 'vlan-persist',
    when: 'ifupdown',
  };
}

export function netplanFile(src: ConfigSource, f: VlanFacts): RenderedFile {
  return {
    path: '/etc/netplan/60-lm-env.yaml',
    content:
      header(src, '#') +
      'network:\n' +
      '  version: 2\n' +
      '  vlans:\n' +
      `    ${f.interface}:\n` +
      `      id: ${f.vid}\n` +
      `      link: ${f.parent}\n` +
      '      addresses:\n' +
      `        - ${f.cidr}\n`,
    // netplan warns about (and newer versions refuse) group/world-readable files
    mode: '600',
    item: 'vlan-persist',
    when: 'netplan',
  };
}

/** .netdev, .network and the drop-in that adds VLAN= to the parent's own .network file. */
export function networkdFiles(src: ConfigSource, f: VlanFacts): RenderedFile[] {
  const base = `/etc/systemd/network/60-lm-env-${f.interface}`;
  return [
    {
      path: `${base}.netdev`,
      content: header(src, '#') + `[NetDev]\nName=${f.interface}\nKind=vlan\n\n[VLAN]\nId=${f.vid}\n`,
      mode: '644',
      item: 'vlan-persist',
      when: 'networkd',
    },
    {
      path: `${base}.network`,
      content:
        header(src, '#') +
        `[Match]\nName=${f.interface}\n\n[Network]\nAddress=${f.cidr}\nLinkLocalAddressing=no\n`,
      mode: '644',
      item: 'vlan-persist',
      when: 'networkd',
    },
    {
      path: `/etc/systemd/network/<${f.parent}.network>.d/${NETWORKD_DROPIN_NAME}`,
      content: header(src, '#') + `[Network]\nVLAN=${f.interface}\n`,
      mode: '644',
      item: 'vlan-persist',
      when: 'networkd',
    },
  ];
}

export function vlanFiles(src: ConfigSource, host: ConfigHost): RenderedFile[] {
  const f = vlanFacts(src, host);
  return [modulesLoadFile(src), ifupdownFile(src, f), netplanFile(src, f), ...networkdFiles(src, f)];
}

/** Runtime VLAN state: module, link (created / corrected / kept), address, link up. */
export function vlanRuntimeSection(src: ConfigSource, host: ConfigHost): string {
  const f = vlanFacts(src, host);
  return `
VLAN_IF=${shq(f.interface)}
VLAN_PARENT=${shq(f.parent)}
VLAN_ID=${f.vid}
VLAN_CIDR=${shq(f.cidr)}

${writeFileSnippet(modulesLoadFile(src))}
lmenv_item_if "$LMENV_CHANGED" modules-load ${MODULES_LOAD_PATH}

ip link show dev "$VLAN_PARENT" >/dev/null 2>&1 || lmenv_die "parent interface $VLAN_PARENT does not exist"

VLAN_RE='vlan protocol 802\\.1[Qq] id ([0-9]+)'
UP_RE='[<,]UP[,>]'
lmenv_vlan_kind() {
  # prints "vlan <id> <parent>", "other", or nothing when the link does not exist
  local d parent
  d=$(ip -d -o link show dev "$VLAN_IF" 2>/dev/null) || return 0
  parent=$(printf '%s\\n' "$d" | sed -n 's/^[0-9]*: [^@:]*@\\([^:]*\\):.*/\\1/p')
  if [[ $d =~ $VLAN_RE ]]; then
    printf 'vlan %s %s\\n' "\${BASH_REMATCH[1]}" "$parent"
  else
    echo other
  fi
}

VLAN_KIND=$(lmenv_vlan_kind)
if [ -d /sys/module/8021q ]; then
  lmenv_item vlan-module unchanged "8021q loaded"
elif [ "$VLAN_KIND" = other ]; then
  # The lab models the VLAN as its own L2 segment (kernels without 8021q): nothing to load.
  lmenv_item vlan-module unchanged "not needed: $VLAN_IF exists as a non-802.1Q link"
elif modprobe 8021q 2>/dev/null; then
  lmenv_item vlan-module changed "8021q loaded"
else
  lmenv_item vlan-module unchanged "modprobe 8021q failed; relying on a built-in 8021q"
fi

VLAN_WHAT=""
case "$VLAN_KIND" in
  "")
    ip link add link "$VLAN_PARENT" name "$VLAN_IF" type vlan id "$VLAN_ID"
    VLAN_WHAT="created"
    ;;
  other)
    VLAN_WHAT=""
    ;;
  "vlan $VLAN_ID $VLAN_PARENT") ;;
  *)
    ip link del dev "$VLAN_IF"
    ip link add link "$VLAN_PARENT" name "$VLAN_IF" type vlan id "$VLAN_ID"
    VLAN_WHAT="recreated (was $VLAN_KIND)"
    ;;
esac
if ! [[ "$(ip -o link show dev "$VLAN_IF")" =~ $UP_RE ]]; then
  ip link set dev "$VLAN_IF" up
  VLAN_WHAT="\${VLAN_WHAT:+$VLAN_WHAT, }set up"
fi
if [ -n "$VLAN_WHAT" ]; then
  lmenv_item vlan-link changed "$VLAN_IF: $VLAN_WHAT"
elif [ "$VLAN_KIND" = other ]; then
  lmenv_item vlan-link unchanged "$VLAN_IF: pre-created non-802.1Q link kept"
else
  lmenv_item vlan-link unchanged "$VLAN_IF: vlan $VLAN_ID on $VLAN_PARENT"
fi

VLAN_ADDR_WHAT=""
VLAN_HAVE=0
for a in $(ip -4 -o addr show dev "$VLAN_IF" | awk '{print $4}'); do
  if [ "$a" = "$VLAN_CIDR" ]; then
    VLAN_HAVE=1
  else
    ip addr del "$a" dev "$VLAN_IF"
    VLAN_ADDR_WHAT="\${VLAN_ADDR_WHAT}removed $a, "
  fi
done
if [ "$VLAN_HAVE" = 0 ]; then
  ip addr add "$VLAN_CIDR" brd + dev "$VLAN_IF"
  VLAN_ADDR_WHAT="\${VLAN_ADDR_WHAT}added $VLAN_CIDR"
fi
if [ -n "$VLAN_ADDR_WHAT" ]; then
  lmenv_item vlan-address changed "\${VLAN_ADDR_WHAT%, }"
else
  lmenv_item vlan-address unchanged "$VLAN_CIDR"
fi
`;
}

/** Persistent VLAN configuration for whichever of netplan / systemd-networkd / ifupdown owns the uplink. */
export function vlanPersistSection(
  src: ConfigSource,
  host: ConfigHost,
  forced: 'auto' | PersistBackend = 'auto',
): string {
  const f = vlanFacts(src, host);
  const ifup = ifupdownFile(src, f);
  const netplan = netplanFile(src, f);
  const [netdev, network, dropin] = networkdFiles(src, f);
  return `
lmenv_networkd_parent_file() {
  # the .network file (any of networkd's directories) whose [Match] Name= covers the parent
  local d n
  for d in /etc/systemd/network /run/systemd/network /usr/lib/systemd/network /lib/systemd/network; do
    for n in "$d"/*.network; do
      [ -f "$n" ] || continue
      if grep -Eq "^[[:space:]]*Name=(.*[[:space:]])?$VLAN_PARENT([[:space:]].*)?$" "$n"; then
        basename "$n"
        return 0
      fi
    done
  done
}

lmenv_netplan_owned() {
  # netplan owns the network when it has configuration besides our own file
  local y
  for y in /etc/netplan/*.yaml /etc/netplan/*.yml; do
    [ -f "$y" ] && [ "$y" != ${shq(netplan.path)} ] && echo "$y" && return 0
  done
  return 0
}

PERSIST=${shq(forced)}
NETWORKD_PARENT=$(lmenv_networkd_parent_file)
if [ "$PERSIST" = auto ]; then
  if [ -n "$(lmenv_netplan_owned)" ]; then
    PERSIST=netplan
  elif [ -n "$NETWORKD_PARENT" ] || { [ ! -e /etc/network/interfaces ] &&
    systemctl is-enabled --quiet systemd-networkd 2>/dev/null; }; then
    PERSIST=networkd
  else
    PERSIST=ifupdown
  fi
fi

PERSIST_CHANGED=0
PERSIST_FILES=""
lmenv_persist_write() {
  # sets PERSIST_CHANGED when the file just written (LMENV_CHANGED) changed
  PERSIST_FILES="$PERSIST_FILES $1"
  if [ "$LMENV_CHANGED" = 1 ]; then PERSIST_CHANGED=1; fi
}
lmenv_persist_remove() {
  lmenv_remove_file "$1"
  if [ "$LMENV_CHANGED" = 1 ]; then PERSIST_CHANGED=1; fi
}

case "$PERSIST" in
  ifupdown)
    ${writeFileSnippet(ifup)}
    lmenv_persist_write ${shq(ifup.path)}
    if [ ! -e /etc/network/interfaces ]; then
      printf 'auto lo\\niface lo inet loopback\\n\\nsource /etc/network/interfaces.d/*\\n' >/etc/network/interfaces
      PERSIST_CHANGED=1
    elif ! grep -Eq '^[[:space:]]*source(-directory)?[[:space:]]+/etc/network/interfaces\\.d' /etc/network/interfaces; then
      printf '\\nsource /etc/network/interfaces.d/*\\n' >>/etc/network/interfaces
      PERSIST_CHANGED=1
    fi
    ;;
  netplan)
    ${writeFileSnippet(netplan)}
    lmenv_persist_write ${shq(netplan.path)}
    ;;
  networkd)
    [ -n "$NETWORKD_PARENT" ] ||
      lmenv_die "systemd-networkd has no .network file for $VLAN_PARENT to attach VLAN=$VLAN_IF to"
    ${writeFileSnippet(netdev)}
    lmenv_persist_write ${shq(netdev.path)}
    ${writeFileSnippet(network)}
    lmenv_persist_write ${shq(network.path)}
    ${writeFileSnippet(dropin, `"/etc/systemd/network/$NETWORKD_PARENT.d/${NETWORKD_DROPIN_NAME}"`)}
    lmenv_persist_write "/etc/systemd/network/$NETWORKD_PARENT.d/${NETWORKD_DROPIN_NAME}"
    ;;
  *)
    lmenv_die "unknown persistence backend $PERSIST"
    ;;
esac

# a backend that no longer owns the uplink must not keep a second definition of the VLAN
if [ "$PERSIST" != ifupdown ]; then lmenv_persist_remove ${shq(ifup.path)}; fi
if [ "$PERSIST" != netplan ]; then lmenv_persist_remove ${shq(netplan.path)}; fi
if [ "$PERSIST" != networkd ]; then
  lmenv_persist_remove ${shq(netdev.path)}
  lmenv_persist_remove ${shq(network.path)}
  for d in /etc/systemd/network/*.network.d; do
    if [ -d "$d" ]; then lmenv_persist_remove "$d/${NETWORKD_DROPIN_NAME}"; fi
  done
fi
lmenv_item_if "$PERSIST_CHANGED" vlan-persist "$PERSIST:$PERSIST_FILES"
`;
}
