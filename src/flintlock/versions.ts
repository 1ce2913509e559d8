// The one place flintlock versions and checksums are pinned.

/**
 * Upstream flintlockd release used for real hosts. Release assets are plain binaries named
 * flintlockd_<arch> (amd64, arm64) — confirmed from upstream's release workflow and provision.sh.
 * Upstream publishes no checksum file, and no sha256 for this version could be confirmed here, so
 * `sha256` stays null (UNVERIFIED): a real install must be given the checksum by the user
 * (e.g. --flintlock-sha256), never a guessed one.
 */
export const FLINTLOCK_RELEASE = {
  version: 'v0.11.0',
  repo: 'liquidmetal-dev/flintlock',
  sha256: { amd64: null, arm64: null } as Record<FlintlockArch, string | null>,
} as const;

export type FlintlockArch = 'amd64' | 'arm64';

/** https://github.com/liquidmetal-dev/flintlock/releases/download/<version>/flintlockd_<arch> */
export function flintlockReleaseUrl(
  version: string = FLINTLOCK_RELEASE.version,
  arch: FlintlockArch = 'amd64',
): string {
  return `https://github.com/${FLINTLOCK_RELEASE.repo}/releases/download/${version}/flintlockd_${arch}`;
}

/** Version string the lab stand-in reports (`flintlockd version`) and installs under. */
export const STANDIN_VERSION = `${FLINTLOCK_RELEASE.version}-lmenv-standin`;
