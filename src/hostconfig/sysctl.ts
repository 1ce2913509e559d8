import { writeFileSnippet } from './shell.js';
import type { ConfigSource, RenderedFile } from './types.js';

export const SYSCTL_PATH = '/etc/sysctl.d/90-lm-env.conf';

/** Wanted kernel settings on the hub: forwarding for NAT, loose reverse-path filtering (NAT/asymmetric paths). */
export const HUB_SYSCTLS: ReadonlyArray<[string, string]> = [
  ['net.ipv4.ip_forward', '1'],
  ['net.ipv4.conf.all.rp_filter', '2'],
  ['net.ipv4.conf.default.rp_filter', '2'],
];

export function sysctlFile(src: ConfigSource): RenderedFile {
  return {
    path: SYSCTL_PATH,
    content:
      `# Managed by lm-env (${src.id}): the hub forwards the VLAN to the uplink.\n` +
      HUB_SYSCTLS.map(([k, v]) => `${k} = ${v}\n`).join(''),
    mode: '644',
    item: 'sysctl',
  };
}

/**
 * Writes the file and applies it with `sysctl -p <file>` when the file changed or a runtime value
 * differs (inside a network namespace these net.* values are per namespace).
 */
export function sysctlSection(src: ConfigSource): string {
  const f = sysctlFile(src);
  const checks = HUB_SYSCTLS.map(
    ([k, v]) => `[ "$(sysctl -n ${k} 2>/dev/null || true)" = ${v} ] || SYSCTL_STALE="$SYSCTL_STALE ${k}"`,
  ).join('\n');
  return `
${writeFileSnippet(f)}
SYSCTL_FILE_CHANGED=$LMENV_CHANGED
SYSCTL_STALE=""
${checks}
if [ "$SYSCTL_FILE_CHANGED" = 1 ] || [ -n "$SYSCTL_STALE" ]; then
  sysctl -q -p ${f.path} >/dev/null
  lmenv_item sysctl changed "applied ${f.path}\${SYSCTL_STALE:+ (was off:$SYSCTL_STALE)}"
else
  lmenv_item sysctl unchanged ${f.path}
fi
`;
}
