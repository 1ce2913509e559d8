import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Environment, EnvHost } from '../env/environment.js';
import { UserError } from '../env/errors.js';
import { standinArtifact } from '../flintlock/artifact.js';
import { renderFlintlockInstallScript } from '../flintlock/install.js';
import { STANDIN_VERSION } from '../flintlock/versions.js';
import type { ScriptSection } from '../hostconfig/types.js';

/** Where a flintlock host downloads flintlockd from, and the checksum it must have. */
export interface FlintlockArtifact {
  url: string;
  sha256: string;
  version: string;
  /** The lab stand-in does not run under containerd. */
  requiresContainerd: boolean;
}

const INSTALLER = '/var/lib/lm-env/flintlock-install.sh';

/**
 * The flintlock install as one section of a host's apply script: the install script is written to
 * the host and run from there, so its LMENV-ITEM lines join the host's result.
 */
export function flintlockSection(
  env: Readonly<Environment>,
  host: EnvHost,
  a: FlintlockArtifact,
): ScriptSection {
  const script = renderFlintlockInstallScript({
    artifactUrl: a.url,
    sha256: a.sha256,
    version: a.version,
    requiresContainerd: a.requiresContainerd,
    config: {
      grpcEndpoint: `${host.privateIp}:${env.flintlock.port}`,
      parentIface: env.network.vlan.interface,
      insecure: true,
      defaultProvider: 'cloudhypervisor',
    },
  });
  const marker = 'LMENV_FLINTLOCK_INSTALL_EOF';
  if (script.includes(marker)) throw new Error('flintlock install script contains the heredoc marker');
  return {
    name: 'flintlock',
    body: [
      `mkdir -p ${dirname(INSTALLER)}`,
      `cat > ${INSTALLER} <<'${marker}'`,
      script.trimEnd(),
      marker,
      `chmod 0700 ${INSTALLER}`,
      `bash ${INSTALLER}`,
    ].join('\n'),
  };
}

/** The stand-in bundle, found beside the running bundle (dist/) or from the sources (tests). */
export function standinBundlePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, 'flintlockd-standin', 'index.js'), // the root action's bundle is dist/index.js
    join(here, '..', 'flintlockd-standin', 'index.js'),
    join(here, '..', '..', 'dist', 'flintlockd-standin', 'index.js'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new UserError(
      `the flintlock stand-in bundle is missing (looked in ${candidates.join(', ')}); run 'npm run build'`,
    );
  }
  return found;
}

/** The lab's flintlockd artifact: the stand-in, published on the lab internet's HTTP server. */
export function labStandin(): { bytes: Buffer; sha256: string; version: string } {
  return { ...standinArtifact(standinBundlePath()), version: STANDIN_VERSION };
}
