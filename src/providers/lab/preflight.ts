import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../../env/errors.js';

/** Binaries the lab runs, and the Debian package that provides each. */
export const LAB_BINARIES: { bin: string; pkg: string }[] = [
  { bin: 'ip', pkg: 'iproute2' },
  { bin: 'sshd', pkg: 'openssh-server' },
  { bin: 'dnsmasq', pkg: 'dnsmasq-base' },
  { bin: 'nsenter', pkg: 'util-linux' },
  { bin: 'unshare', pkg: 'util-linux' },
  { bin: 'mount', pkg: 'mount' },
  { bin: 'bash', pkg: 'bash' },
  { bin: 'hostname', pkg: 'hostname' },
];

export function findBinary(bin: string, path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);
  for (const d of dirs) {
    try {
      accessSync(join(d, bin), constants.X_OK);
      return join(d, bin);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Fails before anything is created when not root or a binary is missing (naming the package). */
export function labPreflight(
  uid: number = process.getuid?.() ?? -1,
  find: (bin: string) => string | undefined = (b) => findBinary(b),
): void {
  if (uid !== 0) {
    throw new UserError(
      'the lab provider needs root (it creates network namespaces, veths and mounts): run it with sudo, as root, or in a privileged container',
    );
  }
  const missing = LAB_BINARIES.filter((b) => !find(b.bin));
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((m) => m.pkg))];
    throw new UserError(
      `the lab provider needs ${missing.map((m) => m.bin).join(', ')}, not found in PATH: ` +
        `install with 'apt-get install -y ${pkgs.join(' ')}' (or run scripts/lab-deps.sh)`,
    );
  }
}
