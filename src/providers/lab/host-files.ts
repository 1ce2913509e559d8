/**
 * What a lab host's private view of the filesystem starts with (pure rendering). The host's mount
 * namespace overlays these directories on the real ones, so writes made over SSH stay per host;
 * /tmp, /run and /root start empty, like on a freshly booted machine.
 */
export const OVERLAY_DIRS = ['etc', 'var/lib', 'var/log', 'usr/local', 'opt', 'srv'];

export interface HostFilesInput {
  envId: string;
  hostName: string;
  hostname: string;
  publicIp: string;
  dnsServer: string;
}

/** The host's own sshd configuration: listens on the public address only, keys only, our host key. */
export function sshdConfig(h: HostFilesInput): string {
  return [
    `# lm-env lab host ${h.hostName} (${h.envId})`,
    'Port 22',
    `ListenAddress ${h.publicIp}`,
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'AuthorizedKeysFile /etc/ssh/lm-env_authorized_keys .ssh/authorized_keys',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'PidFile /run/sshd.pid',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

/** Files written into the host's /etc upper layer before its mount namespace exists. */
export function etcFiles(
  h: HostFilesInput,
  clientPublicKey: string,
): { path: string; content: string; mode: number }[] {
  return [
    { path: 'ssh/sshd_config', content: sshdConfig(h), mode: 0o644 },
    { path: 'ssh/lm-env_authorized_keys', content: `${clientPublicKey}\n`, mode: 0o644 },
    { path: 'hostname', content: `${h.hostname}\n`, mode: 0o644 },
    { path: 'hosts', content: `127.0.0.1\tlocalhost\n${h.publicIp}\t${h.hostname}\n`, mode: 0o644 },
    {
      path: 'resolv.conf',
      content: `# lm-env lab: the "internet" resolver\nnameserver ${h.dnsServer}\n`,
      mode: 0o644,
    },
  ];
}

/**
 * Runs inside `unshare --mount --uts --propagation private` (already in the host's network
 * namespace): sets up the private mounts, says "ready", then holds the namespaces open.
 * Paths are passed as arguments: $1 envId, $2 hostname, $3 upper root, $4 work root.
 */
export const HOLDER_SCRIPT = `set -eu
hostname "$2"
for d in ${OVERLAY_DIRS.join(' ')}; do
  [ -d "/$d" ] || continue
  mkdir -p "$3/$d" "$4/$d"
  mount -t overlay "$1" -o "lowerdir=/$d,upperdir=$3/$d,workdir=$4/$d" "/$d"
done
mount -t tmpfs -o mode=1777 "$1" /tmp
mount -t tmpfs -o mode=700 "$1" /root
cp -a /etc/skel/. /root/ 2>/dev/null || true
mount -t tmpfs -o mode=755 "$1" /run
mkdir -p /run/sshd /run/lock
chmod 1777 /run/lock
echo ready
exec sleep infinity </dev/null >/dev/null 2>&1
`;
