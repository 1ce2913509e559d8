import type { DhcpServer, NatBackend } from '../env/spec.js';
import { dhcpFacts } from './dhcp-config.js';
import {
  dhcpConfigFiles,
  dhcpSection,
  DHCP_SERVICES,
  DNS_SERVICE,
  dnsConfigFiles,
  upstreamSection,
} from './dhcp.js';
import { LMENV_LIB } from './lib.js';
import {
  firewalldCleanupSection,
  firewalldDirectFile,
  firewalldPolicyFiles,
  firewalldSection,
} from './nat-firewalld.js';
import { nftablesCleanupSection, nftablesFile, nftablesSection } from './nat-nftables.js';
import { shq } from './shell.js';
import { sysctlFile, sysctlSection } from './sysctl.js';
import type {
  ConfigHost,
  ConfigSource,
  HostConfigOptions,
  HostScript,
  RenderedFile,
  ScriptSection,
} from './types.js';
import { vlanFiles, vlanPersistSection, vlanRuntimeSection } from './vlan.js';

/** Packages a host needs for the network part of its script. */
export function requiredPackages(
  host: ConfigHost,
  nat: NatBackend,
  dhcp: DhcpServer,
  hubServesDns: boolean,
): string[] {
  const pkgs = ['iproute2'];
  if (host.role !== 'hub') return pkgs;
  pkgs.push(nat === 'nftables' ? 'nftables' : 'firewalld');
  pkgs.push(DHCP_SERVICES[dhcp].package);
  if (hubServesDns && !pkgs.includes(DNS_SERVICE.package)) pkgs.push(DNS_SERVICE.package);
  return pkgs;
}

function networkSections(
  src: ConfigSource,
  host: ConfigHost,
  o: HostConfigOptions,
): { sections: ScriptSection[]; files: RenderedFile[] } {
  const nat = o.nat ?? src.services.nat;
  const dhcp = o.dhcp ?? src.services.dhcp;
  const hub = host.role === 'hub';
  const facts = dhcpFacts(src, host.privateIp);
  const fw = { uplinkZone: o.firewalldUplinkZone, tailscaleIf: o.tailscaleInterface };
  const pkgs = requiredPackages(host, nat, dhcp, facts.hubServesDns);

  const sections: ScriptSection[] = [
    { name: 'packages', body: `lmenv_ensure_packages packages ${pkgs.map(shq).join(' ')}` },
    { name: 'vlan', body: vlanRuntimeSection(src, host) },
    { name: 'vlan-persist', body: vlanPersistSection(src, host, o.persistence ?? 'auto') },
  ];
  const files = vlanFiles(src, host);
  if (hub) {
    sections.push({ name: 'sysctl', body: sysctlSection(src) });
    files.push(sysctlFile(src));
    if (nat === 'nftables') {
      sections.push({
        name: 'nat',
        body: nftablesSection(src, o.tailscaleInterface) + firewalldCleanupSection(src, fw),
      });
      files.push(nftablesFile(src, o.tailscaleInterface));
    } else {
      sections.push({ name: 'nat', body: firewalldSection(src, fw) + nftablesCleanupSection() });
      files.push(...firewalldPolicyFiles(src, fw), firewalldDirectFile(src, fw));
    }
    if (facts.hubServesDns) sections.push({ name: 'dns-upstream', body: upstreamSection(facts) });
    sections.push({ name: 'dhcp', body: dhcpSection(facts, dhcp) });
    files.push(...dhcpConfigFiles(facts, dhcp), ...dnsConfigFiles(facts, dhcp));
  }
  return { sections, files };
}

function itemsOf(body: string): string[] {
  const found: string[] = [];
  const re = /lmenv_(?:item|item_if "\$[A-Z_]+"|ensure_packages) '?([a-z][a-z0-9-]*)/g;
  for (const m of body.matchAll(re)) if (!found.includes(m[1])) found.push(m[1]);
  return found;
}

/**
 * Renders the one idempotent apply script for a host, from a Plan or an Environment, plus the
 * files it writes. Extra sections (e.g. the flintlock install) run after the network part.
 * Pure: the same inputs always give the same script.
 */
export function renderHostScript(
  src: ConfigSource,
  host: ConfigHost,
  options: HostConfigOptions = {},
): HostScript {
  const { sections, files } = networkSections(src, host, options);
  const all = [...sections, ...(options.sections ?? [])];
  for (const s of options.sections ?? []) files.push(...(s.files ?? []));
  const init =
    options.serviceManager && options.serviceManager !== 'auto'
      ? shq(options.serviceManager)
      : '"$(lmenv_detect_init)"';
  const script = [
    '#!/usr/bin/env bash',
    `# lm-env apply script for ${host.name} (${host.role}) of environment ${src.id}.`,
    '# Idempotent: run it again and it changes only what differs. Prints one',
    '# "LMENV-ITEM <item> changed|unchanged [detail]" line per item it manages.',
    'set -Eeuo pipefail',
    LMENV_LIB,
    '[ "$(id -u)" = 0 ] || lmenv_die "the apply script must run as root"',
    'mkdir -p "$LMENV_RUN"',
    `LMENV_INIT=${init}`,
    'lmenv_log "lm-env: configuring ' + `${host.name} (${host.role}), services via $LMENV_INIT"`,
    ...all.map((s) => `\n# ---- ${s.name} ----\n${s.body.trim()}\n`),
    'lmenv_log "lm-env: done"',
    '',
  ].join('\n');
  return {
    script,
    files,
    items: all.flatMap((s) => itemsOf(s.body)).filter((v, i, a) => a.indexOf(v) === i),
  };
}
