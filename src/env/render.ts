import { formatDuration } from './duration.js';
import type { Plan } from './plan.js';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Human-readable plan for `lm-env plan`. */
export function renderPlanText(plan: Plan): string {
  const n = plan.network;
  const lines = [
    `Environment ${plan.id} (provider ${plan.provider}, expires ${plan.expiresAt}${plan.keep ? ', kept after the job' : ''})`,
    '',
    table([
      ['subnet', n.subnet],
      ['netmask', n.netmask],
      ['VLAN', `${n.vlan.vid} on ${n.vlan.parent} → ${n.vlan.interface}`],
      ['gateway (hub)', n.gateway],
      ['DHCP pool', `${n.dhcpRange.start} – ${n.dhcpRange.end}`],
      ['DNS servers', n.dnsServers.join(', ')],
      ['lease time', `${formatDuration(n.leaseTimeSeconds)} (max ${formatDuration(n.maxLeaseTimeSeconds)})`],
      ['reserved VIP', n.reservedVip || '(none)'],
      ['NAT', plan.services.nat],
      ['DHCP server', plan.services.dhcp],
    ]),
    '',
    table([
      ['HOST', 'ROLE', 'PRIVATE IP', 'INTERFACE', 'FLINTLOCK'],
      ...plan.hosts.map((h) => [
        h.name,
        h.role,
        h.privateIp,
        n.vlan.interface,
        h.role === 'flintlock' ? `${h.privateIp}:${plan.flintlock.port}` : '-',
      ]),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

/** Markdown for the job summary. */
export function renderPlanMarkdown(plan: Plan, title: string): string {
  const n = plan.network;
  const rows = plan.hosts
    .map(
      (h) =>
        `| ${h.name} | ${h.role} | ${h.privateIp} | ${h.role === 'flintlock' ? `\`${h.privateIp}:${plan.flintlock.port}\`` : '–'} |`,
    )
    .join('\n');
  return [
    `## ${title}`,
    '',
    `Environment \`${plan.id}\` on provider \`${plan.provider}\`, expires ${plan.expiresAt}.`,
    '',
    '| setting | value |',
    '| --- | --- |',
    `| subnet | \`${n.subnet}\` |`,
    `| VLAN | ${n.vlan.vid} (\`${n.vlan.interface}\`) |`,
    `| gateway | \`${n.gateway}\` |`,
    `| DHCP pool | \`${n.dhcpRange.start}\` – \`${n.dhcpRange.end}\` |`,
    `| DNS | ${n.dnsServers.map((d) => `\`${d}\``).join(', ')} |`,
    `| NAT / DHCP | ${plan.services.nat} / ${plan.services.dhcp} |`,
    '',
    '| host | role | private IP | flintlock |',
    '| --- | --- | --- | --- |',
    rows,
    '',
  ].join('\n');
}
