import { UserError } from '../env/errors.js';

/**
 * Installing the Tailscale client on a host (pure rendering). Every host — a lab namespace or a
 * bare-metal box — runs the same script: keep an installed client of the pinned version, else
 * download the static tarball, verify its sha256, unpack tailscale + tailscaled into the bin dir.
 * Off the lab the tarball comes from Tailscale's package server; the lab serves the same layout from
 * its "internet" HTTP server.
 */

export const TAILSCALE_BIN_DIR = '/usr/local/bin';

/** Go architecture names used in the tarball names, from `uname -m` / Node's process.arch. */
export function tailscaleArch(machine: string): string {
  const m: Record<string, string> = {
    x86_64: 'amd64',
    x64: 'amd64',
    amd64: 'amd64',
    aarch64: 'arm64',
    arm64: 'arm64',
    armv7l: 'arm',
    i686: '386',
  };
  const a = m[machine];
  if (!a) throw new UserError(`no Tailscale static build for architecture ${machine}`);
  return a;
}

/** "tailscale_1.100.0_amd64" — the tarball's base name and its top directory. */
export function tarballBase(version: string, arch: string): string {
  return `tailscale_${version}_${arch}`;
}

/** The official static tarball: https://pkgs.tailscale.com/stable/tailscale_<v>_<arch>.tgz */
export function officialTarballUrl(version: string, arch: string): string {
  return `https://pkgs.tailscale.com/stable/${tarballBase(version, arch)}.tgz`;
}

export interface InstallScriptInput {
  version: string;
  /** Tarball URL; `{arch}` is replaced on the host by its architecture. */
  urlTemplate: string;
  /** sha256 of the tarball (64 hex). Empty: only an already installed client of `version` is accepted. */
  sha256: string;
  binDir?: string;
}

const SHA_RE = /^[0-9a-f]{64}$/;

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Bash that ends with one line `LMENV-TAILSCALE installed|unchanged <version>` on success and exits
 * non-zero with the reason otherwise (no checksum, download failed, checksum mismatch).
 */
export function renderTailscaleInstallScript(o: InstallScriptInput): string {
  if (!/^\d+\.\d+\.\d+$/.test(o.version)) throw new UserError(`tailscale version ${o.version} is not x.y.z`);
  if (o.sha256 !== '' && !SHA_RE.test(o.sha256))
    throw new UserError('sha256sum must be 64 lowercase hex digits (the sha256 of the tailscale tarball)');
  if (!/^https?:\/\/\S+$/.test(o.urlTemplate))
    throw new UserError(`tailscale download URL ${o.urlTemplate} is not http(s)`);
  const bin = o.binDir ?? TAILSCALE_BIN_DIR;
  return `set -euo pipefail
VERSION=${sq(o.version)}
SHA256=${sq(o.sha256)}
BIN=${sq(bin)}
die() { printf 'lm-env tailscale install: %s\\n' "$*" >&2; exit 1; }
have=$("$BIN/tailscale" version 2>/dev/null | head -n1 || true)
if [ "$have" = "$VERSION" ] && [ -x "$BIN/tailscaled" ]; then echo "LMENV-TAILSCALE unchanged $VERSION"; exit 0; fi
[ -n "$SHA256" ] || die "tailscale $VERSION is not installed and no sha256sum was given to verify the download (set sha256sum to the sha256 of the tarball)"
case "$(uname -m)" in x86_64) ARCH=amd64;; aarch64) ARCH=arm64;; armv7l) ARCH=arm;; i686) ARCH=386;; *) die "unsupported architecture $(uname -m)";; esac
URL=${sq(o.urlTemplate)}
URL=\${URL//\\{arch\\}/$ARCH}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if command -v curl >/dev/null; then
  curl -fsSL --retry 3 --connect-timeout 10 --max-time 300 -o "$tmp/ts.tgz" "$URL" || die "download of $URL failed"
elif command -v wget >/dev/null; then
  wget -q -T 30 -O "$tmp/ts.tgz" "$URL" || die "download of $URL failed"
else die "neither curl nor wget is installed"; fi
got=$(sha256sum "$tmp/ts.tgz" | cut -d' ' -f1)
[ "$got" = "$SHA256" ] || die "sha256 mismatch for $URL: expected $SHA256, got $got (refusing to install)"
tar -xzf "$tmp/ts.tgz" -C "$tmp"
dir="$tmp/tailscale_\${VERSION}_$ARCH"
[ -x "$dir/tailscale" ] && [ -x "$dir/tailscaled" ] || die "$URL does not contain tailscale_\${VERSION}_$ARCH/{tailscale,tailscaled}"
mkdir -p "$BIN"
install -m 0755 "$dir/tailscale" "$BIN/tailscale.lmenv-new" && mv -f "$BIN/tailscale.lmenv-new" "$BIN/tailscale"
install -m 0755 "$dir/tailscaled" "$BIN/tailscaled.lmenv-new" && mv -f "$BIN/tailscaled.lmenv-new" "$BIN/tailscaled"
now=$("$BIN/tailscale" version | head -n1)
[ "$now" = "$VERSION" ] || die "installed tailscale reports version $now, expected $VERSION"
echo "LMENV-TAILSCALE installed $VERSION"
`;
}

/** Parses the script's result line. */
export function parseInstallResult(stdout: string): 'installed' | 'unchanged' | undefined {
  const m = /^LMENV-TAILSCALE (installed|unchanged) /m.exec(stdout);
  return m ? (m[1] as 'installed' | 'unchanged') : undefined;
}

export const SYSCTL_FILE = '/etc/sysctl.d/99-tailscale.conf';

/** Forwarding for a subnet router (tailscaled does not enable it), persisted and applied at once. */
export function renderForwardingScript(): string {
  return `set -e
printf '# lm-env: Tailscale subnet router\\nnet.ipv4.ip_forward = 1\\nnet.ipv6.conf.all.forwarding = 1\\n' > ${SYSCTL_FILE}
sysctl -q -p ${SYSCTL_FILE} >/dev/null
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]`;
}

/** Same rule as the configure script: systemd only when PID 1 is systemd and we share its namespaces. */
export const DETECT_INIT = `c=""; read -r c </proc/1/comm 2>/dev/null || true
if [ "$c" = systemd ] && [ -d /run/systemd/system ] && [ "$(readlink /proc/1/ns/net)" = "$(readlink /proc/self/ns/net)" ] && [ "$(readlink /proc/1/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]; then echo systemd; else echo direct; fi`;
