import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentFile } from '../env/environment.js';
import { UserError } from '../env/errors.js';
import { labNamespaceExec } from '../providers/access.js';
import { isAlive, spawnDaemon } from '../providers/lab/procs.js';
import { HeadscaleCli } from './headscale-cli.js';
import { renderHeadscaleConfig, renderHeadscalePolicy } from './headscale-config.js';
import { tarballBase } from './install.js';
import type { Redactor } from './redact.js';

/**
 * The lab's own tailnet control server: headscale with its embedded DERP + STUN, on the inet
 * namespace's public address, https with a per-environment lab CA. Nothing it needs is outside the
 * namespaces; everything it creates is recorded in the Environment file the moment it exists.
 */

export const LAB_BIN_DIR = process.env.LM_ENV_BIN_DIR ?? '/var/cache/lm-env/bin';
export const HEADSCALE_PORT = 8443;
export const STUN_PORT = 3478;
/** The tag every lab node carries (declared in the lab policy). */
export const LAB_TAG = 'tag:lm-env';

export interface LabControl {
  control: HeadscaleCli;
  loginServer: string;
  /** PEM of the lab CA; clients trust it through SSL_CERT_FILE. */
  caPem: string;
  caFile: string;
}

function sh(argv: string[], cwd?: string): void {
  execFileSync(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA and a server certificate for the headscale address (1 day; keys 0600, never leave the lab dir). */
function makeCa(dir: string, address: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  sh(
    [
      'openssl',
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=lm-env lab CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  sh(
    ['openssl', 'req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${address}`],
    dir,
  );
  writeFileSync(
    join(dir, 'server.ext'),
    `subjectAltName=IP:${address}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  sh(
    [
      'openssl',
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ],
    dir,
  );
  execFileSync('chmod', ['600', join(dir, 'ca.key'), join(dir, 'server.key')]);
}

/**
 * Starts headscale in the inet namespace (or returns the one this environment already runs) and gives
 * a TailnetControl for it through the headscale CLI over its unix socket — no API key exists at all.
 */
export async function startLabHeadscale(
  envFile: EnvironmentFile,
  opts: {
    subnet: string;
    tags: string[];
    redactor: Redactor;
    log: (l: string) => void;
    progress: (m: string) => void;
  },
): Promise<LabControl> {
  const env = envFile.data;
  const inet = env.lab?.internet;
  if (!env.lab?.dir || !inet?.address)
    throw new UserError(`environment ${env.id} has no lab internet namespace (provider ${env.provider})`);
  const headscale = join(LAB_BIN_DIR, 'headscale');
  if (!existsSync(headscale))
    throw new UserError(`${headscale} is missing: run scripts/build-tailnet.sh (or set LM_ENV_BIN_DIR)`);
  const dir = join(env.lab.dir, 'tailnet', 'headscale');
  const loginServer = `https://${inet.address}:${HEADSCALE_PORT}`;
  const config = join(dir, 'config.yaml');
  const control = new HeadscaleCli({
    exec: labNamespaceExec(env, 'inet'),
    command: `${headscale} -c ${config}`,
    loginServer,
    log: opts.log,
    redactor: opts.redactor,
  });
  const recorded = env.resources.find((r) => r.kind === 'process' && r.name === 'headscale');
  if (
    recorded &&
    isAlive({ pid: Number(recorded.id), startTime: Number(recorded.meta?.startTime) }) &&
    existsSync(join(dir, 'ca.pem'))
  ) {
    const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
    return { control, loginServer, caPem, caFile: join(dir, 'ca.pem') };
  }

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  envFile.addResource({ kind: 'file', id: join(env.lab.dir, 'tailnet'), name: 'tailnet state (lab)' });
  makeCa(dir, inet.address);
  writeFileSync(
    join(dir, 'policy.json'),
    renderHeadscalePolicy({
      tags: opts.tags,
      // Members may reach each other and the VLAN; nothing else.
      acls: [
        { action: 'accept', src: opts.tags, dst: [...opts.tags.map((t) => `${t}:*`), `${opts.subnet}:*`] },
      ],
    }),
  );
  writeFileSync(
    config,
    renderHeadscaleConfig({
      serverUrl: loginServer,
      listenAddr: `${inet.address}:${HEADSCALE_PORT}`,
      dataDir: dir,
      tlsCertPath: join(dir, 'server.pem'),
      tlsKeyPath: join(dir, 'server.key'),
      stunListenAddr: `${inet.address}:${STUN_PORT}`,
      derpIpv4: inet.address,
      policyPath: join(dir, 'policy.json'),
      ephemeralInactivityTimeout: '5m',
    }),
    { mode: 0o600 },
  );
  const p = spawnDaemon(
    ['nsenter', `--net=/run/netns/${inet.netns}`, headscale, '-c', config, 'serve'],
    join(dir, 'headscale.log'),
  );
  envFile.addResource({
    kind: 'process',
    id: String(p.pid),
    name: 'headscale',
    meta: { startTime: p.startTime, netns: inet.netns },
  });
  opts.progress(`headscale started (pid ${p.pid}) at ${loginServer}, embedded DERP, lab CA`);
  let exited = false;
  void p.exited.then(() => (exited = true));
  const deadline = Date.now() + 30_000;
  const exec = labNamespaceExec(env, 'inet');
  for (;;) {
    const r = await exec.run(
      `curl -sf --max-time 2 --cacert ${join(dir, 'ca.pem')} ${loginServer}/health >/dev/null`,
      { timeoutMs: 10_000 },
    );
    if (r.code === 0) break;
    if (exited || Date.now() > deadline) {
      const log = existsSync(join(dir, 'headscale.log'))
        ? readFileSync(join(dir, 'headscale.log'), 'utf8').slice(-1500)
        : '';
      throw new Error(`headscale did not become healthy at ${loginServer}:\n${log}`);
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  return {
    control,
    loginServer,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    caFile: join(dir, 'ca.pem'),
  };
}

/**
 * Makes the cached tailscale binaries downloadable from the lab's HTTP server in the layout of the
 * official static tarball. The tarball is built once per version in the cache directory (atomically)
 * and linked into the document root. Returns the URL template and the sha256 the hub verifies.
 */
export function publishLabTarball(
  envFile: EnvironmentFile,
  version: string,
): { urlTemplate: string; sha256: string } {
  const env = envFile.data;
  const inet = env.lab?.internet;
  if (!inet?.docRoot) throw new UserError(`environment ${env.id} has no lab HTTP document root`);
  const have = execFileSync(join(LAB_BIN_DIR, 'tailscale'), ['version'], { encoding: 'utf8' }).split('\n')[0];
  if (have !== version)
    throw new UserError(
      `the lab has tailscale ${have} in ${LAB_BIN_DIR}, asked for ${version}: rebuild with LM_ENV_TAILSCALE_VERSION=v${version} scripts/build-tailnet.sh`,
    );
  const base = tarballBase(version, 'amd64');
  const tgz = join(LAB_BIN_DIR, '..', `${base}.tgz`);
  if (!existsSync(tgz) || !existsSync(`${tgz}.sha256`)) {
    const stage = join(LAB_BIN_DIR, '..', `.stage-${process.pid}`);
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(join(stage, base), { recursive: true });
    try {
      for (const b of ['tailscale', 'tailscaled'])
        execFileSync('cp', [join(LAB_BIN_DIR, b), join(stage, base, b)]);
      execFileSync('tar', ['-czf', join(stage, 'out.tgz'), '-C', stage, base]);
      const sum = createHash('sha256')
        .update(readFileSync(join(stage, 'out.tgz')))
        .digest('hex');
      renameSync(join(stage, 'out.tgz'), tgz);
      writeFileSync(`${tgz}.sha256`, `${sum}\n`);
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }
  const sha256 = readFileSync(`${tgz}.sha256`, 'utf8').trim();
  const linkDir = join(inet.docRoot, 'tailscale');
  mkdirSync(linkDir, { recursive: true });
  const link = join(linkDir, `${base}.tgz`);
  if (!existsSync(link)) symlinkSync(tgz, link);
  return { urlTemplate: `${inet.httpUrl}tailscale/tailscale_${version}_{arch}.tgz`, sha256 };
}
