// The rendered install script, end to end (root): it runs in the lab "host" namespace inside a
// private mount namespace (tmpfs over /etc/opt, /usr/local/bin, /run, /var/log), downloads the
// stand-in artifact with curl from busybox httpd in the hub namespace, and starts it without systemd.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { flintlockBundles } from '../../__fixtures__/flintlock/bundles.js';
import { FlintlockNetLab } from '../../__fixtures__/flintlock/netlab.js';
import { standinArtifact } from '../../src/flintlock/artifact.js';
import { renderFlintlockInstallScript, type FlintlockInstallOptions } from '../../src/flintlock/install.js';
import type { MicroVM } from '../../src/flintlock/types.js';

jest.setTimeout(120_000);

const lab = new FlintlockNetLab();
const www = join(lab.dir, 'www');
const stateDir = join(lab.dir, 'state');
let bundles: { standin: string; client: string };
let sha256 = '';
let mountHolder: ChildProcess | undefined;
const endpoint = `${lab.hostIp}:9090`;

/** Runs a bash script in the host's network + private mount namespace. */
function runScript(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'nsenter',
      [`--target=${mountHolder!.pid}`, '--mount', '--net', '--', 'bash', '-s'],
      { encoding: 'utf8', timeout: 90_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(script);
  });
}

function inHost(cmd: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'nsenter',
      [`--target=${mountHolder!.pid}`, '--mount', '--net', '--', ...cmd],
      { encoding: 'utf8' },
      (e, out, err) => (e ? reject(new Error(err || e.message)) : resolve(out)),
    );
  });
}

const items = (out: string): Record<string, string> =>
  Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l.startsWith('LMENV-ITEM '))
      .map((l) => l.split(' ').slice(1, 3)),
  );

function options(extra: Partial<FlintlockInstallOptions> = {}, leaseTimeout = 8): FlintlockInstallOptions {
  return {
    artifactUrl: `http://${lab.router}:8080/flintlockd`,
    sha256,
    version: 'lab',
    service: 'direct',
    requiresContainerd: false,
    readyTimeoutSeconds: 20,
    config: {
      grpcEndpoint: endpoint,
      parentIface: lab.parent,
      insecure: true,
      stateDir,
      extra: { 'lease-timeout': leaseTimeout },
    },
    ...extra,
  };
}

async function fl(...args: string[]): Promise<unknown> {
  return JSON.parse(
    await lab.runIn(lab.cli, process.execPath, [bundles.client, '--endpoint', endpoint, ...args]),
  );
}

beforeAll(async () => {
  bundles = flintlockBundles();
  lab.up();
  mkdirSync(www);
  const art = standinArtifact(bundles.standin);
  writeFileSync(join(www, 'flintlockd'), art.bytes);
  sha256 = art.sha256;
  lab.spawnIn(lab.hub, 'busybox', ['httpd', '-f', '-p', `${lab.router}:8080`, '-h', www], []);
  mountHolder = spawn(
    'ip',
    [
      'netns',
      'exec',
      lab.host,
      'unshare',
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      `for d in /etc/opt /usr/local/bin /run /var/log; do mount -t tmpfs lmenv-${lab.rand} "$d" || exit 1; done; exec sleep infinity`,
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    const mounts = existsSync(`/proc/${mountHolder.pid}/mounts`)
      ? readFileSync(`/proc/${mountHolder.pid}/mounts`, 'utf8')
      : '';
    if (mounts.includes(' /var/log tmpfs') && mounts.includes(`lmenv-${lab.rand}`)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

let installedPid = 0;

/** Stops the installed flintlockd (SIGTERM: it removes its microVMs), the mount holder and the lab. */
async function cleanup(): Promise<void> {
  if (mountHolder?.pid && mountHolder.exitCode === null) {
    const pid = Number((await inHost(['cat', '/run/flintlockd.pid']).catch(() => '')).trim());
    if (pid > 0) {
      installedPid = pid;
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && existsSync(`/proc/${pid}/ns`); i++)
        await new Promise((r) => setTimeout(r, 100));
      if (existsSync(`/proc/${pid}/ns`)) process.kill(pid, 'SIGKILL');
    }
    mountHolder.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
  await lab.down();
}

afterAll(cleanup);

describe('flintlock install script (direct mode, lab artifact)', () => {
  let firstPid = '';
  let vm: MicroVM;

  it('installs, configures and starts flintlockd, which then serves microVMs', async () => {
    const r = await runScript(renderFlintlockInstallScript(options()));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(items(r.stdout)).toEqual({
      'flintlock-binary': 'changed',
      'flintlock-config': 'changed',
      'flintlock-service': 'started',
    });
    expect(await inHost(['stat', '-c', '%a', '/etc/opt/flintlockd/config.yaml'])).toBe('600\n');
    expect(await inHost(['/usr/local/bin/flintlockd', 'version'])).toMatch(
      /^flintlockd v0\.11\.0-lmenv-standin/,
    );
    firstPid = (await inHost(['cat', '/run/flintlockd.pid'])).trim();
    // Nothing leaked into the real filesystem.
    expect(
      existsSync('/etc/opt/flintlockd/config.yaml') &&
        readFileSync('/etc/opt/flintlockd/config.yaml', 'utf8').includes(lab.rand),
    ).toBe(false);

    const created = (await fl(
      'create',
      JSON.stringify({ id: 'inst', interfaces: [{ deviceId: 'eth1' }] }),
    )) as MicroVM;
    vm = (await fl('wait', created.spec.uid!, '--timeout-ms', '20000')) as MicroVM;
    expect(vm.status.state).toBe('CREATED');
    expect(vm.status.networkInterfaces.eth1.lmenvIpv4Address).toMatch(/^192\.168\.1\.\d+\/25$/);
  });

  it('changes nothing when re-run with the same version and config', async () => {
    const r = await runScript(renderFlintlockInstallScript(options()));
    expect(r.code).toBe(0);
    expect(items(r.stdout)).toEqual({
      'flintlock-binary': 'unchanged',
      'flintlock-config': 'unchanged',
      'flintlock-service': 'unchanged',
    });
    expect((await inHost(['cat', '/run/flintlockd.pid'])).trim()).toBe(firstPid);
  });

  it('restarts on a config change (the stopped stand-in removes its microVMs)', async () => {
    const r = await runScript(renderFlintlockInstallScript(options({}, 9)));
    expect(r.code).toBe(0);
    expect(items(r.stdout)).toEqual({
      'flintlock-binary': 'unchanged',
      'flintlock-config': 'changed',
      'flintlock-service': 'restarted',
    });
    expect((await inHost(['cat', '/run/flintlockd.pid'])).trim()).not.toBe(firstPid);
    expect(existsSync(`/proc/${vm.status.lmenvNetnsPid}/ns`)).toBe(false);
    expect(await fl('list')).toEqual([]);
  });

  it('refuses an artifact whose sha256 does not match, leaving the installed binary alone', async () => {
    const before = await inHost(['sha256sum', '/usr/local/bin/flintlockd']);
    const wrong = 'f'.repeat(64);
    const r = await runScript(renderFlintlockInstallScript(options({ sha256: wrong })));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `sha256 mismatch for http://${lab.router}:8080/flintlockd: expected ${wrong}, got ${sha256}`,
    );
    expect(await inHost(['sha256sum', '/usr/local/bin/flintlockd'])).toBe(before);
    expect(await inHost(['sh', '-c', 'ls /usr/local/bin'])).toBe('flintlockd\n');
  });

  it('leaves no namespace, process or link behind', async () => {
    const holderPid = mountHolder!.pid!;
    await cleanup();
    expect(installedPid).toBeGreaterThan(0);
    expect(existsSync(`/proc/${installedPid}/ns`)).toBe(false);
    expect(existsSync(`/proc/${holderPid}/ns`)).toBe(false);
    expect(lab.namespacesLeft()).toEqual([]);
    expect(lab.processesMentioning()).toEqual([]);
    expect(lab.rootLinksLeft()).toEqual([]);
  });
});
