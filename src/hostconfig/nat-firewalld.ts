import { natFacts } from './nat-nftables.js';
import { shq, writeFileSnippet } from './shell.js';
import type { ConfigSource, RenderedFile } from './types.js';

export const FW_VLAN_ZONE = 'lm-env-vlan';
export const FW_TAILNET_ZONE = 'lm-env-tailnet';
export const FW_EGRESS_POLICY = 'lm-env-vlan-egress';
export const FW_TAILNET_POLICY = 'lm-env-tailnet-vlan';
export const FW_DIRECT = '/etc/firewalld/direct.xml';

export interface FirewalldOptions {
  uplinkZone?: string;
  tailscaleIf?: string;
}

const XML = '<?xml version="1.0" encoding="utf-8"?>\n';

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * firewalld ≥ 0.9 form: the VLAN in its own zone, a policy from it to the uplink's zone that
 * accepts and masquerades, and a policy letting the Tailscale interface's zone into the VLAN.
 * Forwarding between zones is denied unless a policy allows it: no new inbound connections.
 */
export function firewalldPolicyFiles(src: ConfigSource, o: FirewalldOptions = {}): RenderedFile[] {
  const f = natFacts(src, o.tailscaleIf);
  const uplinkZone = o.uplinkZone ?? 'public';
  const file = (path: string, content: string): RenderedFile => ({
    path,
    content,
    mode: '644',
    item: 'nat',
    when: 'firewalld-policies',
  });
  return [
    file(
      `/etc/firewalld/zones/${FW_VLAN_ZONE}.xml`,
      XML +
        '<zone target="default">\n' +
        '  <short>lm-env VLAN</short>\n' +
        `  <description>Managed by lm-env (${xmlEscape(src.id)}): the private VLAN ${xmlEscape(f.subnet)}.</description>\n` +
        `  <interface name="${xmlEscape(f.vlanIf)}"/>\n` +
        '  <service name="dhcp"/>\n' +
        '  <service name="dns"/>\n' +
        '</zone>\n',
    ),
    file(
      `/etc/firewalld/zones/${FW_TAILNET_ZONE}.xml`,
      XML +
        '<zone target="default">\n' +
        '  <short>lm-env tailnet</short>\n' +
        `  <description>Managed by lm-env (${xmlEscape(src.id)}): the Tailscale subnet router interface.</description>\n` +
        `  <interface name="${xmlEscape(f.tailscaleIf)}"/>\n` +
        '</zone>\n',
    ),
    file(
      `/etc/firewalld/policies/${FW_EGRESS_POLICY}.xml`,
      XML +
        '<policy target="ACCEPT" priority="-1">\n' +
        '  <short>lm-env VLAN egress</short>\n' +
        `  <description>Managed by lm-env (${xmlEscape(src.id)}): the VLAN reaches the uplink, masqueraded.</description>\n` +
        `  <ingress-zone name="${FW_VLAN_ZONE}"/>\n` +
        `  <egress-zone name="${xmlEscape(uplinkZone)}"/>\n` +
        '  <masquerade/>\n' +
        '</policy>\n',
    ),
    file(
      `/etc/firewalld/policies/${FW_TAILNET_POLICY}.xml`,
      XML +
        '<policy target="ACCEPT" priority="-1">\n' +
        '  <short>lm-env tailnet to VLAN</short>\n' +
        `  <description>Managed by lm-env (${xmlEscape(src.id)}): the subnet router forwards the tailnet into the VLAN.</description>\n` +
        `  <ingress-zone name="${FW_TAILNET_ZONE}"/>\n` +
        `  <egress-zone name="${FW_VLAN_ZONE}"/>\n` +
        '</policy>\n',
    ),
  ];
}

/**
 * Fallback for firewalld < 0.9 (no policies): the original's direct rules, plus replies and the
 * tailnet. The direct interface is deprecated in firewalld ≥ 1.0, and this file replaces any
 * other direct rules on the host.
 */
export function firewalldDirectFile(src: ConfigSource, o: FirewalldOptions = {}): RenderedFile {
  const f = natFacts(src, o.tailscaleIf);
  const rule = (table: string, chain: string, args: string): string =>
    `  <rule ipv="ipv4" table="${table}" chain="${chain}" priority="0">${xmlEscape(args)}</rule>\n`;
  return {
    path: FW_DIRECT,
    content:
      XML +
      `<!-- Managed by lm-env (${xmlEscape(src.id)}) -->\n` +
      '<direct>\n' +
      rule('filter', 'FORWARD', `-i ${f.vlanIf} -o ${f.uplink} -j ACCEPT`) +
      rule(
        'filter',
        'FORWARD',
        `-i ${f.uplink} -o ${f.vlanIf} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
      ) +
      rule('filter', 'FORWARD', `-i ${f.tailscaleIf} -o ${f.vlanIf} -j ACCEPT`) +
      rule('filter', 'FORWARD', `-i ${f.vlanIf} -o ${f.tailscaleIf} -j ACCEPT`) +
      rule('nat', 'POSTROUTING', `-s ${f.subnet} -o ${f.uplink} -j MASQUERADE`) +
      '</direct>\n',
    mode: '644',
    item: 'nat',
    when: 'firewalld-direct',
  };
}

export function firewalldSection(src: ConfigSource, o: FirewalldOptions = {}): string {
  const policies = firewalldPolicyFiles(src, o);
  const direct = firewalldDirectFile(src, o);
  const writes = policies.map(
    (p) => `${writeFileSnippet(p)}\nif [ "$LMENV_CHANGED" = 1 ]; then FW_CHANGED=1; fi`,
  );
  const removes = policies.map(
    (p) => `lmenv_remove_file ${shq(p.path)}\nif [ "$LMENV_CHANGED" = 1 ]; then FW_CHANGED=1; fi`,
  );
  return `
[ "$LMENV_INIT" = systemd ] ||
  lmenv_die "nat: firewalld needs systemd and D-Bus, and this host (or namespace) has no systemd; use nat: nftables"
FW_CHANGED=0
if ! systemctl is-active --quiet firewalld; then
  systemctl enable --now --quiet firewalld
  FW_CHANGED=1
fi
FW_VERSION=$(firewall-cmd --version)
FW_MAJOR=\${FW_VERSION%%.*}
FW_MINOR=\${FW_VERSION#*.}
FW_MINOR=\${FW_MINOR%%.*}
if [ "$FW_MAJOR" -ge 1 ] || [ "$FW_MINOR" -ge 9 ]; then
  FW_FORM=policies
${writes.join('\n')}
  if [ -f ${FW_DIRECT} ] && grep -q 'Managed by lm-env' ${FW_DIRECT}; then
    rm -f ${FW_DIRECT}
    FW_CHANGED=1
  fi
  firewall-cmd --info-policy=${FW_EGRESS_POLICY} >/dev/null 2>&1 || FW_CHANGED=1
else
  FW_FORM=direct
${writeFileSnippet(direct)}
  if [ "$LMENV_CHANGED" = 1 ]; then FW_CHANGED=1; fi
${removes.join('\n')}
  [ -n "$(firewall-cmd --direct --get-all-rules 2>/dev/null)" ] || FW_CHANGED=1
fi
if [ "$FW_CHANGED" = 1 ]; then
  firewall-cmd --reload >/dev/null
  lmenv_item nat changed "firewalld $FW_VERSION ($FW_FORM) reloaded"
else
  lmenv_item nat unchanged "firewalld $FW_VERSION ($FW_FORM)"
fi
`;
}

/** Removes lm-env's firewalld configuration when the host now uses nftables. */
export function firewalldCleanupSection(src: ConfigSource, o: FirewalldOptions = {}): string {
  const paths = firewalldPolicyFiles(src, o).map((p) => p.path);
  return `
FW_OTHER=0
for f in ${paths.map(shq).join(' ')}; do
  lmenv_remove_file "$f"
  if [ "$LMENV_CHANGED" = 1 ]; then FW_OTHER=1; fi
done
if [ -f ${FW_DIRECT} ] && grep -q 'Managed by lm-env' ${FW_DIRECT}; then
  rm -f ${FW_DIRECT}
  FW_OTHER=1
fi
if [ "$FW_OTHER" = 1 ] && command -v firewall-cmd >/dev/null 2>&1 && firewall-cmd --state >/dev/null 2>&1; then
  firewall-cmd --reload >/dev/null
fi
lmenv_item_if "$FW_OTHER" nat-leftovers "firewalld configuration of lm-env"
`;
}
