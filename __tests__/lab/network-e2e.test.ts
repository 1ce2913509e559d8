import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, envIdOf, leftovers } from '../../__fixtures__/lab/lab.js';
import { readPersistentState, readRuntimeState } from '../../src/configure/state.js';
import { EnvironmentFile } from '../../src/env/environment.js';
import type { Exec } from '../../src/exec/types.js';
import { FlintlockClient } from '../../src/flintlock/client.js';
import { hostExec } from '../../src/providers/access.js';

// Issue 4 end to end on the lab: up (provision → configure → verify) → checks → down, per DHCP server,
// for the original plan and for another subnet/prefix/VLAN with 3 hosts. The tailnet has its own test.
const isRoot = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'lm-env-net-'));
const envIds: string[] = [];
afterAll(async () => {
  for (const f of ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => join(dir, `${x}.json`))) {
    await cli(['down', '--env', f]);
  }
  rmSync(dir, { recursive: true, force: true });
  for (const id of envIds) expect(await leftovers(id)).toEqual([]);
}, 120_000);

async function up(file: string, ...flags: string[]): Promise<EnvironmentFile> {
  const r = await cli(['up', '--provider', 'lab', '--tailscale', 'off', '--env', file, ...flags]);
  if (r.code !== 0) throw new Error(`up failed (${r.code}):\n${r.err.split('\n').slice(-40).join('\n')}`);
  const envFile = EnvironmentFile.load(file);
  envIds.push(envFile.data.id);
  return envFile;
}

async function down(file: string): Promise<void> {
  const id = envIdOf(file);
  const r = await cli(['down', '--env', file]);
  expect(r.code).toBe(0);
  expect(await leftovers(id)).toEqual([]);
}

function verifyPassed(envFile: EnvironmentFile): string[] {
  const v = envFile.data.verify;
  expect(v).toBeDefined();
  const failed = v!.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`);
  expect(failed).toEqual([]);
  return v!.results.map((r) => r.name);
}

const cases: [string, string, string[]][] = [
  ['a', 'dnsmasq', []],
  ['b', 'kea', []],
  ['c', 'isc-dhcp-server', []],
  ['d', 'dnsmasq', ['--subnet', '10.77.0.0/24', '--vlan', '42', '--hosts', '3']],
  ['e', 'kea', ['--subnet', '172.20.4.0/26', '--vlan', '3001', '--hosts', '3']],
  ['f', 'isc-dhcp-server', ['--subnet', '10.9.8.0/23', '--vlan', '7', '--hosts', '3']],
];

(isRoot ? describe : describe.skip)('lab: up → verify → down', () => {
  test.each(cases)(
    '%s: dhcp %s %p',
    async (name, dhcp, flags) => {
      const file = join(dir, `${name}.json`);
      const envFile = await up(file, '--dhcp', dhcp, ...flags);
      const env = envFile.data;
      const checks = verifyPassed(envFile);
      const hosts = env.hosts.filter((h) => h.role === 'flintlock');
      // every host was probed, and the exposure checks ran for each
      for (const h of hosts) {
        expect(checks).toContain(`probe on ${h.name}: DHCP lease in the pool with router and DNS`);
        expect(checks).toContain(
          `probe on ${h.name}: reaches ${env.lab!.internet!.httpUrl} through the hub's NAT`,
        );
        expect(checks).toContain(`public side: flintlock port 9090 on ${h.name}'s public address is closed`);
      }
      expect(checks).toContain(
        `public side: the microVM subnet ${env.network.subnet} is unreachable even when routed to the hub`,
      );
      // `verify` on its own agrees
      const v = await cli(['verify', '--env', file, '--json']);
      expect(v.code).toBe(0);
      expect(JSON.parse(v.out).ok).toBe(true);
      await down(file);
    },
    180_000,
  );
});

(isRoot ? describe : describe.skip)('lab: configure is idempotent, repairs, persists', () => {
  const file = join(dir, 'g.json');
  let envFile: EnvironmentFile;
  const execs: Exec[] = [];
  const exec = async (name: string): Promise<Exec> => {
    const e = await hostExec(envFile, name);
    execs.push(e);
    return e;
  };
  afterAll(async () => {
    for (const e of execs) await e.close();
    await cli(['down', '--env', file]);
  }, 60_000);

  test('up', async () => {
    envFile = await up(file, '--until', 'configure');
  }, 120_000);

  test('a second configure reports no changes and leaves the state identical', async () => {
    const hub = await exec('hub');
    const vlanIf = envFile.data.network.vlan.interface;
    const before = await readRuntimeState(hub, vlanIf);
    const r = await cli(['configure', '--env', file, '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.changed).toBe(false);
    for (const h of result.hosts) expect(h.changed).toEqual([]);
    const after = await readRuntimeState(hub, vlanIf);
    expect(after).toEqual(before);
    expect(after.nftTables.filter((t) => t === 'ip lm_env')).toHaveLength(1);
    expect(after.dhcpServers).toHaveLength(1);
  }, 60_000);

  test('persistent files describe the same interface and address as the runtime state', async () => {
    const vlan = envFile.data.network.vlan;
    for (const h of envFile.data.hosts) {
      const e = await exec(h.name);
      const runtime = await readRuntimeState(e, vlan.interface);
      const persisted = await readPersistentState(e, vlan.interface);
      expect(runtime.vlan.addresses).toEqual([`${h.privateIp}/${envFile.data.network.prefixLength}`]);
      expect(persisted.vlan).toBeDefined();
      expect(persisted.vlan!.interface).toBe(vlan.interface);
      expect(persisted.vlan!.vid).toBe(vlan.vid);
      expect(persisted.vlan!.parent).toBe(vlan.parent);
      expect(persisted.vlan!.addresses).toEqual(runtime.vlan.addresses);
      expect(persisted.modulesLoad).toContain('8021q');
    }
  }, 60_000);

  test('repair: a deleted NAT table and a stopped DHCP server are restored', async () => {
    const hub = await exec('hub');
    const vlanIf = envFile.data.network.vlan.interface;
    const before = await readRuntimeState(hub, vlanIf);
    const pid = before.dhcpServers[0].pid;
    expect((await hub.run(`nft delete table ip lm_env && kill ${pid}`)).code).toBe(0);
    const broken = await readRuntimeState(hub, vlanIf);
    expect(broken.natTable).toBe('');
    const r = await cli(['configure', '--env', file, '--json']);
    expect(r.code).toBe(0);
    const hubResult = JSON.parse(r.out).hosts.find((h: { host: string }) => h.host === 'hub');
    expect(hubResult.changed).toEqual(expect.arrayContaining(['nat', 'dhcp-service']));
    const fixed = await readRuntimeState(hub, vlanIf);
    expect(fixed.natTable).toBe(before.natTable);
    expect(fixed.dhcpServers).toHaveLength(1);
    expect(fixed.dhcpServers[0].pid).not.toBe(pid);
  }, 60_000);

  test('exposure: flintlock is closed on public addresses and open on the private endpoint from the hub', async () => {
    const env = envFile.data;
    const { labNamespaceExec } = await import('../../src/providers/access.js');
    const inet = labNamespaceExec(env, 'inet');
    const hub = await exec('hub');
    for (const h of env.hosts.filter((x) => x.role === 'flintlock')) {
      const pub = await inet.run(`timeout 3 bash -c 'exec 3<>/dev/tcp/${h.publicIp}/9090'`);
      expect(pub.code).not.toBe(0);
      const priv = await hub.run(`timeout 3 bash -c 'exec 3<>/dev/tcp/${h.privateIp}/9090'`);
      expect(priv.code).toBe(0);
    }
  }, 60_000);

  test('a microVM created through the flintlock API on host2 reaches the internet through the hub', async () => {
    const env = envFile.data;
    const host2 = env.hosts.find((h) => h.name === 'host2')!;
    const hubHost = env.hosts.find((h) => h.name === 'hub')!;
    const hub = await exec('hub');
    const fwd = await hub.forward!(host2.privateIp, env.flintlock.port);
    const client = new FlintlockClient(fwd.address);
    try {
      const vm = await client.createMicroVM({
        id: 'egress',
        namespace: 'e2e',
        interfaces: [{ deviceId: 'eth1', type: 'MACVTAP' }],
      });
      const settled = await client.waitSettled(vm.spec.uid!, 60_000);
      expect(settled.status.state).toBe('CREATED');
      const marker = `egress-${Date.now()}.txt`;
      writeFileSync(join(env.lab!.internet!.docRoot!, marker), 'ok\n');
      const h2 = await exec('host2');
      const url = new URL(marker, env.lab!.internet!.httpUrl).href;
      const r = await h2.run(
        `nsenter --net=/proc/${settled.status.lmenvNetnsPid}/ns/net -- curl -sf --max-time 10 ${url}`,
      );
      expect(r).toMatchObject({ code: 0, stdout: 'ok\n' });
      // the internet saw the hub's public address: the microVM was masqueraded by the hub
      const log = readFileSync(join(env.lab!.dir!, 'logs', 'http.log'), 'utf8');
      expect(log).toContain(`GET /${marker} 200 ${hubHost.publicIp}`);
      await client.deleteMicroVM(vm.spec.uid!);
      expect(await client.listMicroVMs('e2e')).toEqual([]);
    } finally {
      client.close();
      await fwd.close();
    }
  }, 90_000);
});
