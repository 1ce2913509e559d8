import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, envIdOf, leftovers } from '../../__fixtures__/lab/lab.js';
import { EnvironmentFile } from '../../src/env/environment.js';
import { connectSsh } from '../../src/exec/ssh.js';
import { ExecError, runChecked, type Exec } from '../../src/exec/types.js';
import { generateHostKey } from '../../src/keys/generate.js';
import { hostExec, labHostLocalExec, labNamespaceExec } from '../../src/providers/access.js';
import { queryA } from '../../src/providers/lab/dns-probe.js';
import { isAlive } from '../../src/providers/lab/procs.js';

// Two lab environments up at once (2 and 4 hosts), shared by the assertions below. Needs root.

const dir = mkdtempSync(join(tmpdir(), 'lm-lab-'));
const envA = join(dir, 'a.json');
const envB = join(dir, 'b.json');
const ids: string[] = [];
const opened: Exec[] = [];

const rootState = (): Record<string, string> => ({
  routes: execFileSync('ip', ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }),
  rules: execFileSync('ip', ['rule'], { encoding: 'utf8' }),
  forward: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'),
  nft: execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' }),
  resolv: existsSync('/etc/resolv.conf') ? readFileSync('/etc/resolv.conf', 'utf8') : '',
});
let before: Record<string, string>;
let upOutput = '';

async function open(envPath: string, host: string): Promise<Exec> {
  const e = await hostExec(EnvironmentFile.load(envPath), host, { retryForMs: 5000 });
  opened.push(e);
  return e;
}

beforeAll(async () => {
  before = rootState();
  const [a, b] = await Promise.all([
    cli(['up', '--provider', 'lab', '--hosts', '2', '--until', 'provision', '--env-file', envA]),
    cli(['up', '--provider', 'lab', '--hosts', '4', '--vlan', '2000', '--until', 'provision', '--env', envB]),
  ]);
  upOutput = a.out + a.err + b.out + b.err;
  for (const p of [envA, envB]) if (existsSync(p)) ids.push(envIdOf(p));
  if (a.code !== 0 || b.code !== 0) throw new Error(`up failed:\n${a.err}\n${b.err}`);
}, 120000);

afterAll(async () => {
  for (const e of opened) await e.close().catch(() => undefined);
  for (const p of [envA, envB]) if (existsSync(p)) await cli(['down', '--env', p]);
  rmSync(dir, { recursive: true, force: true });
}, 60000);

describe('lab up', () => {
  test('writes the Environment file the later steps read', () => {
    const env = EnvironmentFile.load(envA).data;
    expect(env.hosts.map((h) => h.name)).toEqual(['hub', 'host1', 'host2']);
    for (const h of env.hosts) {
      expect(h.publicIp).toMatch(/^(198\.51\.100|203\.0\.113)\.\d+$/);
      expect(h.ssh).toEqual({ user: 'root', port: 22, hostKey: expect.stringMatching(/^ssh-ed25519 AAAA/) });
      expect(h.lab?.netns).toBe(`${env.id}-${h.name}`);
      expect(h.providerId).toBe(`${env.id}-${h.name}`);
    }
    expect(env.sshPublicKey).toMatch(/^ssh-ed25519 /);
    expect(env.lab?.internet).toEqual({
      netns: `${env.id}-inet`,
      address: expect.any(String),
      httpUrl: `http://${env.lab?.internet?.address}/`,
      dnsServer: env.lab?.internet?.address,
      testName: 'www.lab.test',
      docRoot: `${env.lab?.dir}/www`,
    });
    expect(env.lab?.runner?.netns).toBe(`${env.id}-runner`);
    // Secrets: the private client key only in <file>.key (0600); no private key in the file.
    expect(readFileSync(envA, 'utf8')).not.toMatch(/PRIVATE KEY/);
    expect(execFileSync('stat', ['-c', '%a', `${envA}.key`], { encoding: 'utf8' }).trim()).toBe('600');
    const hostKeyFile = `${env.lab?.dir}/hosts/host1/upper/etc/ssh/ssh_host_ed25519_key`;
    expect(execFileSync('stat', ['-c', '%a', hostKeyFile], { encoding: 'utf8' }).trim()).toBe('600');
    // No private key (client or host), nor any line of one, in what up printed.
    const secrets = [readFileSync(`${envA}.key`, 'utf8'), readFileSync(hostKeyFile, 'utf8')];
    for (const line of secrets
      .flatMap((k) => k.split('\n'))
      .filter((l) => l.length > 20 && !l.startsWith('-----'))) {
      expect(upOutput).not.toContain(line);
    }
    expect(upOutput).not.toMatch(/PRIVATE KEY-----\n/);
    expect(upOutput).toMatch(/\[ *\d+\.\ds\] hub: namespace lm-[a-z0-9]+-hub created\n/);
  });

  test('every host of both environments answers over SSH with the pinned key, in its own namespace', async () => {
    for (const p of [envA, envB]) {
      const env = EnvironmentFile.load(p).data;
      expect(env.hosts).toHaveLength(p === envA ? 3 : 5);
      for (const h of env.hosts) {
        const e = await open(p, h.name);
        const r = await runChecked(
          e,
          'hostname; ip -4 -o addr show dev bond0; ip -o link show dev bond0.' + env.network.vlan.vid,
        );
        const [hostname, addr, vlan] = r.stdout.trim().split('\n');
        expect(hostname).toBe(h.hostname);
        expect(addr).toContain(`inet ${h.publicIp}/`);
        expect(vlan).toContain(`bond0.${env.network.vlan.vid}`);
        expect(vlan).not.toContain('inet');
      }
    }
  }, 60000);

  test('two environments use distinct public blocks and namespaces', () => {
    const a = EnvironmentFile.load(envA).data;
    const b = EnvironmentFile.load(envB).data;
    expect(a.id).not.toBe(b.id);
    expect(a.lab?.publicSubnet).not.toBe(b.lab?.publicSubnet);
    const routes = execFileSync('ip', ['-4', 'route'], { encoding: 'utf8' });
    expect(routes).toContain(`${a.lab?.publicSubnet} dev ${a.lab?.rootLink}`);
    expect(routes).toContain(`${b.lab?.publicSubnet} dev ${b.lab?.rootLink}`);
  });

  test('writes to /etc over SSH stay inside the host', async () => {
    const marker = `lm-test-${Date.now()}`;
    const h1 = await open(envA, 'host1');
    const h2 = await open(envA, 'host2');
    await runChecked(
      h1,
      `echo ${marker} > /etc/lm-env-test && mkdir -p /var/lib/lm-env-test && cat /etc/lm-env-test`,
    );
    expect((await h2.run('cat /etc/lm-env-test')).code).not.toBe(0);
    expect((await h2.run('ls /var/lib/lm-env-test')).code).not.toBe(0);
    expect(existsSync('/etc/lm-env-test')).toBe(false);
    expect(existsSync('/var/lib/lm-env-test')).toBe(false);
    expect((await runChecked(h1, 'cat /etc/lm-env-test')).stdout.trim()).toBe(marker);
    // The host sees its own resolv.conf (the lab resolver) and an empty /tmp.
    const env = EnvironmentFile.load(envA).data;
    expect((await runChecked(h1, 'cat /etc/resolv.conf')).stdout).toContain(
      `nameserver ${env.lab?.internet?.dnsServer}`,
    );
  });

  test('the lab internet: DNS test name and HTTP document root, from hosts and the runner', async () => {
    const env = EnvironmentFile.load(envA).data;
    const inet = env.lab!.internet!;
    expect(await queryA(inet.dnsServer, inet.testName)).toEqual([inet.address]);
    writeFileSync(join(inet.docRoot!, 'artifact.txt'), 'payload\n');
    const hub = await open(envA, 'hub');
    const r = await runChecked(
      hub,
      `getent hosts ${inet.testName}; curl -sS -m 5 ${inet.httpUrl}artifact.txt`,
    );
    const dots = (x: string): string => x.replace(/\./g, '\\.');
    expect(r.stdout).toMatch(new RegExp(`^${dots(inet.address!)}\\s+${dots(inet.testName)}\\npayload\\n$`));
    const runner = labNamespaceExec(env, 'runner');
    const rr = await runChecked(
      runner,
      `ip -4 -o addr show dev eth0; curl -sS -m 5 -o /dev/null -w '%{http_code}' ${inet.httpUrl}missing`,
    );
    expect(rr.stdout).toContain(`inet ${env.lab?.runner?.address}/`);
    expect(rr.stdout).toMatch(/404$/);
  });

  test('nothing leaves the namespaces: root unchanged but for our routes, inet routes nowhere', async () => {
    const now = rootState();
    const a = EnvironmentFile.load(envA).data;
    const b = EnvironmentFile.load(envB).data;
    const ours = (l: string): boolean =>
      l.includes(`dev ${a.lab?.rootLink}`) || l.includes(`dev ${b.lab?.rootLink}`);
    const strip = (s: string): string[] =>
      s
        .split('\n')
        .filter((l) => l !== '' && !ours(l))
        .sort();
    expect(strip(now.routes)).toEqual(strip(before.routes));
    expect(
      now.routes
        .split('\n')
        .filter(ours)
        .every((l) => !l.startsWith('default')),
    ).toBe(true);
    expect(now.rules).toBe(before.rules);
    expect(now.forward).toBe(before.forward);
    expect(now.nft).toBe(before.nft);
    expect(now.resolv).toBe(before.resolv);
    // The hosts' overlays and tmpfs mounts live in their own mount namespaces only.
    // (their mount source is the environment id; only the netns bind mounts show up in root)
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
    for (const id of [a.id, b.id]) {
      expect(mounts.filter((l) => l.includes(id) && !l.includes(' - nsfs '))).toEqual([]);
    }
    // The "internet" has no route beyond the lab: whatever a host sends elsewhere dies there.
    const inet = labNamespaceExec(a, 'inet');
    expect((await inet.run('ip route show default')).stdout.trim()).toBe('');
    const get = await inet.run('ip route get 192.0.2.1');
    expect(get.code).not.toBe(0);
    expect(get.stderr).toMatch(/unreachable/i);
    for (const h of a.hosts) {
      const local = labHostLocalExec(a, h.name);
      expect((await runChecked(local, 'ip route show default')).stdout.trim()).toBe(
        `default via ${a.lab?.internet?.address} dev bond0`,
      );
    }
  });

  test('status lists every resource as present', async () => {
    const r = await cli(['status', '--env', envA]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('missing');
    expect(r.out).toMatch(/present +netns +lm-[a-z0-9]+-hub/);
    expect(r.out).toMatch(/present +mount +\d+ \(mount holder\) \[host1\]/);
  });

  test('up with the id of an environment that exists is refused and touches nothing', async () => {
    const idA = envIdOf(envA);
    const other = join(dir, 'same-name.json');
    const r = await cli(['up', '--provider', 'lab', '--name', idA.replace(/^lm-/, ''), '--env', other]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`environment ${idA} already exists on this machine`);
    expect(existsSync(other)).toBe(false);
    const e = await open(envA, 'hub');
    expect((await runChecked(e, 'hostname')).stdout.trim()).toBe(`${idA}-hub`);
  });

  test('a host presenting another host key is refused; down sweeps the impostor sshd', async () => {
    const env = EnvironmentFile.load(envA).data;
    const h = env.hosts.find((x) => x.name === 'host2')!;
    const sshd = env.resources.find((r) => r.kind === 'process' && r.name === 'sshd' && r.host === 'host2')!;
    process.kill(Number(sshd.id), 'SIGTERM');
    for (
      let i = 0;
      i < 50 && isAlive({ pid: Number(sshd.id), startTime: Number(sshd.meta?.startTime) });
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const st = await cli(['status', '--env', envA]);
    expect(st.out).toMatch(new RegExp(`missing +process +${sshd.id} \\(sshd\\) \\[host2\\]`));
    const other = generateHostKey(env.id, 'impostor');
    const local = labHostLocalExec(env, 'host2');
    await local.upload(other.privateKey, '/etc/ssh/ssh_host_ed25519_key', 0o600);
    await runChecked(local, '/usr/sbin/sshd -f /etc/ssh/sshd_config </dev/null >/dev/null 2>&1');
    const err = await connectSsh({
      host: h.publicIp!,
      user: 'root',
      privateKey: EnvironmentFile.load(envA).readPrivateKey(),
      hostKey: h.ssh!.hostKey,
      label: 'host2',
      retryForMs: 5000,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ExecError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^host key mismatch for ${h.publicIp!.replace(/\./g, '\\.')}:22 \\(host2\\): expected SHA256:\\S+, got ${other.fingerprint.replace(/[+/]/g, '\\$&')} — refusing to connect$`,
      ),
    );
  }, 30000);

  test('down of one environment leaves the other intact and nothing of its own', async () => {
    const idA = envIdOf(envA);
    const r = await cli(['down', '--env-file', envA]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/swept unrecorded process \d+/); // the impostor sshd
    expect(await leftovers(idA)).toEqual([]);
    expect(existsSync(envA)).toBe(false);
    expect(existsSync(`${envA}.key`)).toBe(false);
    expect(existsSync(`${envA}.known_hosts`)).toBe(false);
    // B still works.
    const env = EnvironmentFile.load(envB).data;
    for (const h of env.hosts) {
      const e = await open(envB, h.name);
      expect((await runChecked(e, 'hostname')).stdout.trim()).toBe(h.hostname);
    }
    // idempotent
    expect((await cli(['down', '--env', envA])).code).toBe(0);
  }, 60000);

  test('down of the second environment leaves nothing either', async () => {
    const idB = envIdOf(envB);
    const r = await cli(['down', '--env', envB]);
    expect(r.code).toBe(0);
    expect(await leftovers(idB)).toEqual([]);
    for (const id of ids) expect(await leftovers(id)).toEqual([]);
  }, 60000);
});
